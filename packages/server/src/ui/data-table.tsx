import type { Child } from 'hono/jsx';

/** A column's header: its label, or a label with the order the rows are sorted in. */
export type Column =
  | string
  | { readonly label: Child; readonly sort?: 'ascending' | 'descending' | 'none' | undefined };

/** The header row of a table, each cell a column header (`th scope="col"`). */
export function TableHead(props: { readonly columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((column) =>
          typeof column === 'string' ? (
            <th scope="col">{column}</th>
          ) : (
            <th scope="col" aria-sort={column.sort}>
              {column.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

export interface DataTableProps {
  /** Read by screen readers only; the page's heading says it to everyone else. */
  readonly caption: string;
  readonly columns: readonly Column[];
  /** The rows, each a `<tr>`. */
  readonly children?: Child;
  /** How many rows there are: with none, `emptyMessage` fills one row across every column. */
  readonly rowCount?: number;
  readonly emptyMessage?: string;
}

/** A table of records that scrolls sideways on its own (tabindex so a keyboard can scroll it). */
export function DataTable(props: DataTableProps) {
  const isEmpty = props.emptyMessage !== undefined && props.rowCount === 0;
  return (
    <div class="table-wrap" tabindex={0}>
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <TableHead columns={props.columns} />
        <tbody>
          {props.children}
          {isEmpty ? (
            <tr>
              <td colspan={props.columns.length} class="muted">
                {props.emptyMessage}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
