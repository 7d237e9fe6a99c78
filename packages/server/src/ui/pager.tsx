export interface PagerProps {
  /** The nav's accessible name. */
  readonly label?: string;
  /** Where the first page is; absent on the first page itself. */
  readonly firstHref?: string | undefined;
  readonly firstText?: string;
  /** Where the next page is; absent on the last page. */
  readonly nextHref?: string | undefined;
  readonly nextText?: string;
}

/** The links under a paged table: back to the first page, and on to the next. */
export function Pager(props: PagerProps) {
  const { label = 'Pages', firstText = 'First page', nextText = 'Next page' } = props;
  return (
    <nav class="pager" aria-label={label}>
      {props.firstHref === undefined ? null : <a href={props.firstHref}>{firstText}</a>}
      {props.nextHref === undefined ? null : (
        <a href={props.nextHref} rel="next">
          {nextText}
        </a>
      )}
    </nav>
  );
}
