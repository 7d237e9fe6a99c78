/** The UI's one stylesheet, served as /ui/assets/app.css (no inline style: the CSP forbids it). */
export const uiCss = `
:root { --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#fff; --panel:#f6f8fa; --accent:#0b5cad; --danger:#b42318; --ok:#1a7f37; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
* { box-sizing: border-box; }
body { margin: 0; line-height: 1.45; font-size: 15px; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 3px solid #ffb020; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 6px; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; padding: 8px 16px; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top .brand { font-weight: 700; text-decoration: none; color: var(--fg); margin-right: 8px; }
header.top nav ul { display: flex; flex-wrap: wrap; gap: 4px 14px; list-style: none; margin: 0; padding: 0; }
header.top nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--fg); }
header.top .who { margin-left: auto; display: flex; gap: 8px; align-items: center; color: var(--muted); }
main { padding: 16px; max-width: 1280px; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0 0 12px; } h2 { font-size: 1.15rem; margin: 20px 0 8px; }
.muted { color: var(--muted); } .small { font-size: 0.85rem; }
.flash { padding: 8px 12px; border-radius: 6px; background: #e8f5e9; border: 1px solid #b7dfbf; margin-bottom: 12px; }
.error-box { padding: 8px 12px; border-radius: 6px; background: #fdecea; border: 1px solid #f5c2bd; color: #7a1d12; margin-bottom: 12px; }
form.inline { display: inline; }
label { font-weight: 600; font-size: 0.9rem; }
input, select, textarea, button { font: inherit; }
input[type=text], input[type=email], input[type=password], input[type=search], input[type=date], input[type=number], select, textarea { padding: 6px 8px; border: 1px solid #8c959f; border-radius: 6px; background: #fff; max-width: 100%; }
textarea { width: 100%; min-height: 6rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
button, .button { display: inline-block; padding: 6px 12px; border: 1px solid #8c959f; border-radius: 6px; background: #fff; color: var(--fg); cursor: pointer; text-decoration: none; }
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger, .button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: end; padding: 12px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 12px; }
.filters .field { display: flex; flex-direction: column; gap: 2px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); font-size: 0.85rem; white-space: nowrap; }
th a { color: var(--fg); }
tbody tr:hover { background: #f3f8ff; }
.tag { display: inline-block; padding: 0 8px; border-radius: 999px; background: #eaeef2; font-size: 0.8rem; margin: 0 4px 2px 0; }
.pager { display: flex; gap: 12px; margin: 12px 0; }
.grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2fr); gap: 16px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin-bottom: 12px; background: #fff; }
.card h2 { margin-top: 0; }
.grid > * { min-width: 0; }
td { overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 12px; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.source { font-size: 0.75rem; padding: 0 6px; border-radius: 4px; background: #eaeef2; color: var(--muted); }
.source.edited { background: #fff4d6; color: #6b4e00; } .source.computed { background: #e6f0ff; color: #0b3d91; }
ol.timeline { list-style: none; padding: 0; margin: 0; }
ol.timeline li { border-left: 3px solid var(--line); padding: 4px 0 8px 12px; margin-left: 4px; }
ol.timeline li.note { border-left-color: #d4a72c; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--panel); padding: 8px; border-radius: 6px; font-size: 0.85rem; }
.stack { display: flex; flex-direction: column; gap: 8px; }
.row { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; }
.login { max-width: 380px; margin: 64px auto; }
.login form { display: flex; flex-direction: column; gap: 10px; }
.progress { width: 100%; }
details summary { cursor: pointer; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 760px) {
  .grid { grid-template-columns: 1fr; }
  main { padding: 10px; }
  th, td { padding: 6px; }
  .hide-narrow { display: none; }
  header.top .who { margin-left: 0; }
}
`;
