import { type Context, Hono } from 'hono';
import type { AudienceMember } from '../../audiences/audience-members.js';
import { type MemberReads, memberPage } from '../../audiences/audience-members.js';
import type { AudienceRecord, AudienceStore } from '../../audiences/audience-store.js';
import type { Page } from '../../contacts/contact-reads.js';
import { ApiError } from '../../http/api-error.js';
import { can } from '../../users/roles.js';
import { assertPermission } from '../permission.js';
import { noticeOf, redirectDone, renderPage } from '../render-page.js';
import { type UiEnv, viewerOf } from '../ui-env.js';
import { UiError } from '../ui-error.js';
import { type AudienceDraft, orRuleProblem, previewMessage, readDraft } from './audience-form.js';
import { AudiencePage, ruleText } from './audience-page.js';
import { AudiencesListPage, NewAudiencePage } from './audience-views.js';

export interface AudiencePagesDeps {
  readonly audiences: AudienceStore;
  readonly contacts: MemberReads['contacts'];
  readonly cursors: MemberReads['cursors'];
  /** Told when a definition changed, so that its backfill starts at once (audience-worker.ts). */
  readonly onDefinitionChanged?: (() => void) | undefined;
}

const pageSize = 50;

/** The audiences: list, one with its rule and members, the editor and its live preview. */
export function createAudiencePages(deps: AudiencePagesDeps): Hono<UiEnv> {
  const { audiences } = deps;
  const routes = new Hono<UiEnv>();
  const frame = (c: Context<UiEnv>, title: string) => ({
    title,
    section: 'audiences' as const,
    viewer: viewerOf(c),
    notice: noticeOf(c),
  });
  const found = async (id: string) => {
    const audience = await audiences.get(id);
    if (!audience) throw new UiError(404, 'No audience has the id in this address.');
    return audience;
  };

  /** The audience page; `draft` and `error` when a save was refused, so the text typed is kept. */
  async function showAudience(
    c: Context<UiEnv>,
    audience: AudienceRecord,
    refused?: { draft: AudienceDraft; error: string },
  ) {
    const cursor = c.req.query('cursor') || undefined;
    let members: Page<AudienceMember> = { data: [], nextCursor: null };
    let membersError: string | undefined;
    try {
      members = await memberPage({ audiences, contacts: deps.contacts, cursors: deps.cursors }, audience.id, {
        limit: pageSize,
        cursor,
      });
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      membersError = failure.message;
    }
    const editor = can(c.get('user').role, 'edit')
      ? (refused ?? { draft: { name: audience.name, ruleText: ruleText(audience.rule) }, error: undefined })
      : undefined;
    return renderPage(
      c,
      <AudiencePage
        {...frame(c, audience.name)}
        audience={audience}
        members={members}
        isFirstPage={cursor === undefined}
        membersError={membersError}
        editor={editor}
      />,
      refused ? 400 : membersError ? 400 : 200,
    );
  }

  const draftOf = async (c: Context<UiEnv>): Promise<AudienceDraft> => {
    const form = await c.req.parseBody();
    return { name: String(form.name ?? ''), ruleText: String(form.rule ?? '') };
  };

  routes.get('/audiences', async (c) => {
    // Summaries, not list(): a list page needs no backfill progress (a count of every live contact).
    const [list, counts] = await Promise.all([audiences.summaries(), audiences.memberCounts()]);
    return renderPage(
      c,
      <AudiencesListPage
        {...frame(c, 'Audiences')}
        audiences={list}
        counts={counts}
        mayEdit={can(c.get('user').role, 'edit')}
      />,
    );
  });

  routes.get('/audiences/new', async (c) => {
    assertPermission(c, 'edit');
    return renderPage(c, <NewAudiencePage {...frame(c, 'New audience')} session={c.get('session')} />);
  });

  routes.post('/audiences/preview', async (c) => {
    // JSON in and out: ui-script.ts shows `message` under the rule as one types.
    if (!can(c.get('user').role, 'edit')) return c.json({ message: 'Your role (viewer) cannot preview rules.' }, 403);
    const body = (await c.req.json().catch(() => undefined)) as { rule?: unknown } | undefined;
    if (typeof body?.rule !== 'string') return c.json({ message: 'Send {"rule": "<the rule as JSON text>"}.' }, 400);
    const answer = await previewMessage(audiences, body.rule);
    return c.json({ message: answer.message }, answer.ok ? 200 : 400);
  });

  routes.post('/audiences', async (c) => {
    assertPermission(c, 'edit');
    const draft = await draftOf(c);
    const checked = readDraft(draft);
    const created = checked.ok ? await orRuleProblem(() => audiences.create(checked.input)) : checked;
    if (!created.ok) {
      return renderPage(
        c,
        <NewAudiencePage
          {...frame(c, 'New audience')}
          session={c.get('session')}
          draft={draft}
          error={created.message}
        />,
        400,
      );
    }
    deps.onDefinitionChanged?.();
    return redirectDone(c, `/ui/audiences/${encodeURIComponent(created.value.id)}`, 'audience_created');
  });

  routes.get('/audiences/:id', async (c) => showAudience(c, await found(c.req.param('id'))));

  routes.post('/audiences/:id', async (c) => {
    assertPermission(c, 'edit');
    const audience = await found(c.req.param('id'));
    const draft = await draftOf(c);
    const checked = readDraft(draft);
    const saved = checked.ok ? await orRuleProblem(() => audiences.update(audience.id, checked.input)) : checked;
    if (!saved.ok) return showAudience(c, audience, { draft, error: saved.message });
    if (!saved.value) throw new UiError(404, `No audience has the id ${audience.id}.`);
    deps.onDefinitionChanged?.();
    return redirectDone(c, `/ui/audiences/${encodeURIComponent(audience.id)}`, 'audience_saved');
  });

  return routes;
}
