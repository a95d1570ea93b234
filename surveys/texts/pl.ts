/**
 * Polish texts. The brand is always preceded by "firma" in the matching case ("firmę {brand}",
 * "firmie {brand}"), so a brand name never has to be declined. Forms where grammar needs the
 * customer's gender use the usual "zadowolony(-a)" notation; elsewhere the wording is neutral.
 */
import type { Texts } from './index.ts';

export const pl: Texts = {
  language: 'pl',
  languageName: 'Polski',
  metrics: {
    nps: {
      subject: 'Czy polecisz firmę {brand} znajomym?',
      intro: 'Dziękujemy za niedawne zamówienie. Chętnie poznamy Twoją opinię — wystarczy jedno kliknięcie.',
      question: 'Jak prawdopodobne jest, że polecisz firmę {brand} znajomemu lub współpracownikowi?',
      instruction: 'Wybierz liczbę od {min} do {max}.',
      lowLabel: 'Zupełnie nieprawdopodobne',
      highLabel: 'Bardzo prawdopodobne',
      thankYouHeading: 'Dziękujemy!',
      thankYouBody: 'Twoja odpowiedź została zapisana. Dzięki niej firma {brand} może działać lepiej.',
      commentPrompt: 'Jaki jest główny powód Twojej oceny? (opcjonalnie)',
      whatHappensNext: 'Nasz zespół czyta każdy komentarz i na tej podstawie decyduje, co poprawić w pierwszej kolejności.',
      sms: '{brand}: czy polecisz nas znajomym? Odpisz liczbą {min}-{max} ({max} = na pewno) lub kliknij {link}',
    },
    csat: {
      subject: '{brand}: jak oceniasz naszą pomoc?',
      intro: 'Twoje zgłoszenie zostało niedawno rozwiązane. Daj nam znać, jak się spisaliśmy — wystarczy jedno kliknięcie.',
      question: 'Jak bardzo jesteś zadowolony(-a) z otrzymanej pomocy?',
      instruction: 'Wybierz liczbę od {min} do {max}.',
      lowLabel: 'Bardzo niezadowolony(-a)',
      highLabel: 'Bardzo zadowolony(-a)',
      thankYouHeading: 'Dziękujemy!',
      thankYouBody: 'Twoja odpowiedź została zapisana. Dzięki niej firma {brand} będzie mogła lepiej Ci pomagać.',
      commentPrompt: 'Co mogliśmy zrobić lepiej? (opcjonalnie)',
      whatHappensNext:
        'Jeśli coś poszło nie tak, kierownik zespołu wsparcia przeczyta Twoją odpowiedź i może się z Tobą skontaktować.',
      sms: '{brand}: jak oceniasz naszą pomoc? Odpisz liczbą {min}-{max} ({max} = świetnie) lub kliknij {link}',
    },
    ces: {
      subject: '{brand}: czy łatwo było załatwić Twoją sprawę?',
      intro: 'Twoje zgłoszenie zostało niedawno rozwiązane. Powiedz nam, czy poszło łatwo — wystarczy jedno kliknięcie.',
      question: 'Firma {brand} ułatwiła mi załatwienie mojej sprawy.',
      instruction: 'W jakim stopniu się zgadzasz? Wybierz liczbę od {min} do {max}.',
      lowLabel: 'Zdecydowanie się nie zgadzam',
      highLabel: 'Zdecydowanie się zgadzam',
      thankYouHeading: 'Dziękujemy!',
      thankYouBody: 'Twoja odpowiedź została zapisana. Pomoże firmie {brand} uprościć obsługę klientów.',
      commentPrompt: 'Co było łatwe, a co trudne? (opcjonalnie)',
      whatHappensNext:
        'Jeśli sprawa wymagała zbyt dużo wysiłku, kierownik zespołu wsparcia przeczyta Twoją odpowiedź i może się z Tobą skontaktować.',
      sms: '{brand}: czy sprawa poszła łatwo? Odpisz liczbą {min}-{max} ({max} = bardzo łatwo) lub kliknij {link}',
    },
  },
  common: {
    rateScore: 'Ocena {score} z {max}',
    yourScore: 'Twoja odpowiedź: {score} z {max}',
    changeScore: 'Jeśli chcesz, zmień odpowiedź',
    commentHint: 'Maksymalnie {max} znaków.',
    commentTooLong: 'Komentarz jest za długi. Skróć go do {max} znaków.',
    send: 'Wyślij',
    saved: 'Twoja odpowiedź została zapisana. Dziękujemy!',
    saving: 'Zapisujemy Twoją odpowiedź…',
    saveFailed: 'Nie udało się automatycznie zapisać odpowiedzi. Kliknij „Wyślij”.',
    commentSaved: 'Twój komentarz został zapisany. Dziękujemy!',
    pageTitle: 'Ankieta firmy {brand}',
    confirmHint: 'Kliknij „Wyślij”, aby zapisać odpowiedź.',
    notConfirmed: 'Odpowiedź nie została jeszcze zapisana. Za chwilę kliknij „Wyślij” ponownie.',
  },
  email: {
    greeting: 'Dzień dobry, {name},',
    greetingNoName: 'Dzień dobry,',
    oneClick: 'Kliknij liczbę, aby odpowiedzieć:',
    footer: 'Otrzymujesz tę jednorazową ankietę w związku z niedawnym kontaktem z firmą {brand}.',
    unsubscribe: 'Wypisz się z ankiet',
    signature: 'Zespół {brand}',
  },
  reminder: 'Przypomnienie: {message}',
  unsubscribe: {
    title: 'Rezygnacja z ankiet',
    confirm: 'Naciśnij przycisk, aby nie otrzymywać więcej ankiet od {brand} przez {channel}. Bez naciśnięcia nic się nie zmieni.',
    button: 'Wypisz mnie',
    doneTitle: 'Wypisano Cię z ankiet',
    doneBody: '{brand} nie będzie już wysyłać Ci ankiet przez {channel}.',
    channelEmail: 'e-mail',
    channelSms: 'SMS',
  },
  pages: {
    'invalid-link': {
      title: 'Ten link nie działa',
      body: 'Sprawdź, czy link z wiadomości został otwarty w całości. Jeśli nadal nie działa, ankieta mogła trafić do innej osoby.',
    },
    expired: {
      title: 'Ankieta jest już zamknięta',
      body: 'Dziękujemy za chęć udziału. Link był ważny tylko przez określony czas.',
    },
    'rate-limited': {
      title: 'Zbyt wiele prób',
      body: 'Odczekaj chwilę i spróbuj ponownie.',
    },
    'comment-too-long': {
      title: 'Komentarz jest za długi',
      body: 'Wróć, skróć komentarz i wyślij go ponownie.',
    },
    'edit-closed': {
      title: 'Twoja odpowiedź jest już zapisana',
      body: 'Czas na jej zmianę już minął. Dziękujemy za opinię!',
    },
    'not-found': {
      title: 'Nie znaleziono strony',
      body: 'Strona, której szukasz, nie istnieje.',
    },
    'not-confirmed': {
      title: 'Odpowiedź nie jest jeszcze zapisana',
      body: 'Otwórz ponownie link z wiadomości, wybierz odpowiedź i kliknij „Wyślij”.',
    },
  },
  alerts: {
    detractorSubject: 'Niska ocena: {customer} ocenił(a) {metric} na {score}/{max} ({survey})',
    detractorBody:
      'Klient wystawił niską ocenę i może potrzebować kontaktu.\n\n' +
      'Ankieta: {survey} ({metric})\n' +
      'Ocena: {score} z {max}\n' +
      'Klient: {customer}\n' +
      'Dotyczy: {subject}\n' +
      'Komentarz: {comment}\n\n' +
      'Otwórz alert: {link}',
    noComment: '(brak komentarza)',
    churnRiskSubject: 'Ryzyko odejścia: {customer}',
    churnRiskBody: 'Klient wykazuje oznaki możliwego odejścia.\n\nKlient: {customer}\nPowody: {reasons}\n\nOtwórz alert: {link}',
  },
};
