/**
 * The displayed email and name of a contact, as SQL over its traits: the email trait (lower-cased),
 * else its earliest email identifier; the name trait, else firstName + lastName ('' when none, so
 * that keyset pagination can compare them). contact-view.ts shows the same fall-backs.
 *
 * One place for the rule: the triggers of migration 018 keep the columns current for every writer,
 * and the identity store writes them in the same UPDATE as the traits, so that an identify does not
 * rewrite the profile row (and its indexes) a second time.
 */

/** A text trait of `traits` (a JSON text expression), trimmed, or NULL when missing, empty or not text. */
function textTrait(traits: string, key: string): string {
  return `CASE json_type(${traits}, '$.${key}') WHEN 'text' THEN nullif(trim(json_extract(${traits}, '$.${key}')), '') END`;
}

/** contact_email for the profile `profileId` whose traits are `traits`. */
export function contactEmailSql(traits: string, profileId: string): string {
  return `lower(coalesce(${textTrait(traits, 'email')},
  (SELECT value FROM identifiers INDEXED BY identifiers_profile
   WHERE identifiers.profile_id = ${profileId} AND identifiers.type = 'email'
   ORDER BY first_seen_at, value LIMIT 1), ''))`;
}

/** contact_name for traits `traits`. */
export function contactNameSql(traits: string): string {
  return `coalesce(${textTrait(traits, 'name')},
  nullif(trim(coalesce(${textTrait(traits, 'firstName')}, '') || ' ' || coalesce(${textTrait(traits, 'lastName')}, '')), ''), '')`;
}
