import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No SQL outside the storage layer (docs/architecture.md): routes, services and policies reach
 * the database only through the store interfaces, so that a second store can stand behind them.
 * Tests, test kits and contract suites may look at rows directly.
 */

const srcDir = fileURLToPath(new URL('../', import.meta.url));

/** Where the SQLite store is put together and handed on: the only files outside storage/ that name it. */
const compositionRoots = new Set([
  'start-server.ts',
  'index.ts',
  'cli/keys-command.ts',
  'cli/users-command.ts',
  'config/load-config.ts',
]);

const isExempt = (path: string) =>
  path.startsWith('storage/') ||
  path.startsWith('testing/') ||
  path.endsWith('.test.ts') ||
  path.endsWith('-test-kit.ts') ||
  path.endsWith('.contract.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(srcDir, path)] : [];
  });
}

// Keywords in capitals, as this code base writes SQL: a message saying "select a contact from" is not SQL.
const sqlText =
  /\b(SELECT\b[\s\S]*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER|VIEW)|PRAGMA\s+\w+|BEGIN\s+(IMMEDIATE|TRANSACTION))\b/;
const databaseCalls = new Set(['prepare', 'pragma', 'transaction', 'exec']);

/** Each string that reads as SQL, and each call that only a database handle answers. */
export function strayDatabaseUse(path: string, text: string): string[] {
  const found: string[] = [];
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const where = (node: ts.Node) => `${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  function visit(node: ts.Node): void {
    if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      if (sqlText.test(node.text)) found.push(`${where(node)} SQL in a string: ${node.text.slice(0, 60)}`);
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      databaseCalls.has(node.expression.name.text) &&
      // A RegExp's exec is not a database's: a literal regex or a name ending in Pattern/Regex/re.
      !(node.expression.name.text === 'exec' && isRegexReceiver(node.expression.expression))
    ) {
      found.push(`${where(node)} .${node.expression.name.text}() on ${node.expression.expression.getText()}`);
    }
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const from = node.moduleSpecifier.text;
      const isDriver = from === 'better-sqlite3' || from === 'pg';
      const isEngine = from.includes('storage/sqlite/') || from.includes('storage/postgres/');
      if (isDriver || (isEngine && !compositionRoots.has(path))) {
        found.push(`${where(node)} imports ${from}`);
      }
    }
    ts.forEachChild(node, visit);
  }
  visit(file);
  return found;
}

function isRegexReceiver(receiver: ts.Expression): boolean {
  if (ts.isRegularExpressionLiteral(receiver)) return true;
  return ts.isIdentifier(receiver) && /(pattern|regex|re|prefix|offset|match)$/i.test(receiver.text);
}

describe('the storage boundary', () => {
  it('keeps SQL, database calls and SQLite imports inside storage/', () => {
    const stray = sourceFiles(srcDir)
      .filter((path) => !isExempt(path))
      .flatMap((path) => strayDatabaseUse(path, readFileSync(join(srcDir, path), 'utf8')));
    expect(stray).toEqual([]);
  });

  it('would see a stray statement, a prepare, a pragma and a driver import', () => {
    const stray = strayDatabaseUse(
      'contacts/sneaky.ts',
      [
        "import Database from 'better-sqlite3';",
        "import { openDatabase } from '../storage/sqlite/open-database.js';",
        "const byEmail = 'SELECT id FROM profiles WHERE email = ?';",
        `const update = \`UPDATE profiles SET owner = $\{owner} WHERE id = ?\`;`,
        'db.prepare(byEmail);',
        "db.pragma('journal_mode');",
        "const found = /^a$/.exec('a');",
        "const message = 'select a contact from the list';",
      ].join('\n'),
    );
    expect(stray.map((line) => line.replace(/^contacts\/sneaky\.ts:\d+ /, ''))).toEqual([
      'imports better-sqlite3',
      'imports ../storage/sqlite/open-database.js',
      'SQL in a string: SELECT id FROM profiles WHERE email = ?',
      'SQL in a string: UPDATE profiles SET owner = ',
      '.prepare() on db',
      '.pragma() on db',
    ]);
  });
});
