/**
 * Texts of the dashboard's login (functions/dashboard/assets/login.js), in both languages. Kept apart
 * from the main dashboard texts, like the funnel's, so panels added side by side do not edit the same lines.
 */
import type { Language } from '../model.ts';

export interface DashboardLoginTexts {
  prompt: string;
  logIn: string;
  logOut: string;
  /** {name} {roles} */
  loggedInAs: string;
  /** {error} */
  failed: string;
  /** The API refused the signed-in user: a role is missing. */
  forbidden: string;
  roles: Record<'viewer' | 'lead' | 'admin', string>;
}

export const LOGIN_TEXTS: Record<Language, DashboardLoginTexts> = {
  en: {
    prompt: 'Log in to see the scores and handle the alerts.',
    logIn: 'Log in',
    logOut: 'Log out',
    loggedInAs: '{name} ({roles})',
    failed: 'The login failed: {error}. Try again.',
    forbidden: 'Your account may not see this; ask an admin for the right group.',
    roles: { viewer: 'viewer', lead: 'lead', admin: 'admin' },
  },
  pl: {
    prompt: 'Zaloguj się, by zobaczyć wyniki i obsłużyć alerty.',
    logIn: 'Zaloguj',
    logOut: 'Wyloguj',
    loggedInAs: '{name} ({roles})',
    failed: 'Logowanie nie powiodło się: {error}. Spróbuj ponownie.',
    forbidden: 'Twoje konto nie ma do tego dostępu; poproś administratora o właściwą grupę.',
    roles: { viewer: 'przeglądający', lead: 'lider', admin: 'administrator' },
  },
};
