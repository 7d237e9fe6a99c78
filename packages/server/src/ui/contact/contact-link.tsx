import { contactHref } from './contact-page-data.js';

interface Named {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
}

/** The name a page gives a contact: its name, else its email, else its id. */
export function contactLabel(contact: Named) {
  return contact.name ?? contact.email ?? contact.id;
}

/** A link to a contact's page, named as the page names it. */
export function ContactLink(props: { readonly contact: Named }) {
  return <a href={contactHref(props.contact.id)}>{contactLabel(props.contact)}</a>;
}
