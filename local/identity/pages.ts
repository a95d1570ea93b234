/**
 * The local identity provider's own pages (what Cognito's hosted UI shows on AWS): the login form, the
 * logout question and errors. Polish or English after the `ui_locales` the dashboard sends. Plain HTML,
 * no script, nothing from another origin; every value escaped.
 */
import { escapeHtml as e } from '../../surveys/templates/html.ts';

export type PageLanguage = 'pl' | 'en';

const TEXTS = {
  en: {
    title: 'Log in to ankieta',
    username: 'User name or e-mail',
    password: 'Password',
    submit: 'Log in',
    rejected: 'Wrong user name or password.',
    demo: 'Local demo users only: their passwords are printed by npm start.',
    logoutTitle: 'Log out of ankieta?',
    logoutYes: 'Yes, log me out',
    logoutNo: 'No, stay logged in',
    loggedOut: 'You are logged out.',
    error: 'The login could not go on',
  },
  pl: {
    title: 'Logowanie do ankiety',
    username: 'Nazwa użytkownika lub e-mail',
    password: 'Hasło',
    submit: 'Zaloguj',
    rejected: 'Zła nazwa użytkownika lub hasło.',
    demo: 'Tylko lokalni użytkownicy demo: ich hasła wypisuje npm start.',
    logoutTitle: 'Wylogować z ankiety?',
    logoutYes: 'Tak, wyloguj',
    logoutNo: 'Nie, zostaję',
    loggedOut: 'Wylogowano.',
    error: 'Logowanie nie może być kontynuowane',
  },
} as const;

export function languageOfLocales(uiLocales: unknown): PageLanguage {
  return typeof uiLocales === 'string' && /^pl\b/i.test(uiLocales.trim()) ? 'pl' : 'en';
}

const STYLE =
  'body{font:15px/1.5 system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}' +
  'label{display:block;margin:.6rem 0}input{display:block;width:100%;padding:.4rem;box-sizing:border-box}' +
  'button{margin:.8rem .4rem 0 0;padding:.4rem 1rem}.error{color:#a00}.hint{color:#555;font-size:.85rem}';

// No form-action: browsers apply it to the redirects after the post too, and the login ends on the dashboard's origin.
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

function page(language: PageLanguage, title: string, body: string): string {
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)}</title><style>${STYLE}</style></head><body><h1>${e(title)}</h1>${body}</body></html>`;
}

export function loginPage(language: PageLanguage, action: string, options: { rejected?: boolean; username?: string } = {}): string {
  const t = TEXTS[language];
  return page(
    language,
    t.title,
    `${options.rejected ? `<p class="error" id="login-error" role="alert">${e(t.rejected)}</p>` : ''}
<form method="post" action="${e(action)}">
<label>${e(t.username)} <input name="username" id="username" autocomplete="username" required autofocus value="${e(options.username ?? '')}"></label>
<label>${e(t.password)} <input name="password" id="password" type="password" autocomplete="current-password" required></label>
<button type="submit" id="login">${e(t.submit)}</button></form>
<p class="hint">${e(t.demo)}</p>`,
  );
}

/** oidc-provider's logout question: `form` is its own hidden form (with the xsrf token), submitted by these buttons. */
export function logoutPage(language: PageLanguage, form: string): string {
  const t = TEXTS[language];
  return page(
    language,
    t.logoutTitle,
    `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes" id="logout" autofocus>${e(t.logoutYes)}</button>
<button type="submit" form="op.logoutForm">${e(t.logoutNo)}</button>`,
  );
}

export function loggedOutPage(language: PageLanguage): string {
  return page(language, TEXTS[language].loggedOut, '');
}

export function errorPage(language: PageLanguage, error: string, description?: string): string {
  return page(language, TEXTS[language].error, `<p class="error"><code>${e(error)}</code> ${e(description ?? '')}</p>`);
}
