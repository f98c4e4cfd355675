// The API's types, generated from its OpenAPI document (npm run generate:api-types).
export type { Contact, ContactInput, ContactPage, ListContactsQuery } from './api-types.gen.ts';
