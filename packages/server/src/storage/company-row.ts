/** The columns of a company the API reads (companies/company-store.ts CompanyRow), as both engines keep them. */
export const companyRowColumns = 'id, group_id, traits, first_seen_at, last_seen_at';
