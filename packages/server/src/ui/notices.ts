/**
 * The one-line confirmations a page shows after a form (?done=<key>). Keys, not text: a link someone
 * else crafted can then only show one of these lines, never words of its own in the UI's voice.
 */
export const notices = {
  saved: 'Saved.',
  note_added: 'Note added.',
  merged: 'Contacts merged.',
  erased: 'The contact was erased.',
  view_saved: 'View saved.',
  view_removed: 'View removed.',
  user_created: 'User created.',
  role_changed: 'Role changed.',
  user_disabled: 'User disabled; their sessions have ended.',
  user_enabled: 'User enabled.',
  session_revoked: 'Session ended.',
  password_changed: 'Password changed.',
  key_created: 'Key created.',
  key_revoked: 'Key revoked.',
  audience_saved: 'Audience saved.',
  audience_created: 'Audience created: its members are being worked out.',
  import_started: 'Import started.',
} as const;

export type NoticeKey = keyof typeof notices;

export function noticeText(key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(notices, key) ? notices[key as NoticeKey] : undefined;
}
