import type { Application } from '../../shared/applications/application-schema.ts';

/** An application with plain defaults, for tests that care about a few fields. */
export function person(fields: Partial<Application> & Pick<Application, 'email' | 'role'>): Application {
  return {
    name: fields.email,
    years_experience: 0,
    topics: ['data engineering'],
    timezone: 'Europe/Berlin',
    languages: ['english'],
    preferred: [],
    avoid: [],
    ...fields,
  };
}
