/** English texts: the reference language, and the fallback for any other. */
import type { Texts } from './index.ts';

export const en: Texts = {
  language: 'en',
  languageName: 'English',
  metrics: {
    nps: {
      subject: 'How likely are you to recommend {brand}?',
      intro: 'Thank you for your recent order. We would love to know what you think — one click is all it takes.',
      question: 'How likely are you to recommend {brand} to a friend or colleague?',
      instruction: 'Choose a number from {min} to {max}.',
      lowLabel: 'Not at all likely',
      highLabel: 'Extremely likely',
      thankYouHeading: 'Thank you!',
      thankYouBody: 'Your answer has been saved. It really helps {brand} get better.',
      commentPrompt: 'What is the main reason for your score? (optional)',
      whatHappensNext: 'Our team reads every comment and uses them to decide what to improve first.',
      sms: '{brand}: How likely are you to recommend us to a friend? Reply with a number {min}-{max} ({max} = very likely) or tap {link}',
    },
    csat: {
      subject: '{brand}: how did we do with your request?',
      intro: 'Your support request was recently resolved. Tell us how we did — one click is all it takes.',
      question: 'How satisfied are you with the help you got?',
      instruction: 'Choose a number from {min} to {max}.',
      lowLabel: 'Very dissatisfied',
      highLabel: 'Very satisfied',
      thankYouHeading: 'Thank you!',
      thankYouBody: 'Your answer has been saved. It helps {brand} support you better.',
      commentPrompt: 'What could we have done better? (optional)',
      whatHappensNext: 'If something went wrong, a support team lead will read your answer and may get in touch with you.',
      sms: '{brand}: How satisfied are you with our help? Reply with a number {min}-{max} ({max} = very satisfied) or tap {link}',
    },
    ces: {
      subject: '{brand}: was it easy to sort out your request?',
      intro: 'Your support request was recently resolved. Tell us how easy it was — one click is all it takes.',
      question: '{brand} made it easy for me to handle my issue.',
      instruction: 'How much do you agree? Choose a number from {min} to {max}.',
      lowLabel: 'Strongly disagree',
      highLabel: 'Strongly agree',
      thankYouHeading: 'Thank you!',
      thankYouBody: 'Your answer has been saved. It helps {brand} make things simpler.',
      commentPrompt: 'What made it easy or hard? (optional)',
      whatHappensNext: 'If it took too much effort, a support team lead will read your answer and may get in touch with you.',
      sms: '{brand}: Did we make it easy to handle your issue? Reply with a number {min}-{max} ({max} = very easy) or tap {link}',
    },
  },
  common: {
    rateScore: 'Rate {score} out of {max}',
    yourScore: 'Your answer: {score} out of {max}',
    changeScore: 'Change your answer if you like',
    commentHint: 'Up to {max} characters.',
    commentTooLong: 'Your comment is too long. Please shorten it to {max} characters or fewer.',
    send: 'Send',
    saved: 'Your answer is saved. Thank you!',
    saving: 'Saving your answer…',
    saveFailed: 'We could not save your answer automatically. Please press Send.',
    commentSaved: 'Your comment is saved. Thank you!',
    pageTitle: '{brand} survey',
    confirmHint: 'Press Send to save your answer.',
    notConfirmed: 'Your answer is not saved yet. Please press Send again in a moment.',
  },
  email: {
    greeting: 'Hi {name},',
    greetingNoName: 'Hello,',
    oneClick: 'Click a number to answer:',
    footer: 'You are receiving this one-time survey because you recently dealt with {brand}.',
    unsubscribe: 'Unsubscribe from surveys',
    signature: 'The {brand} team',
  },
  reminder: 'Reminder: {message}',
  unsubscribe: {
    title: 'Unsubscribe from surveys',
    confirm: 'Press the button to stop receiving surveys from {brand} by {channel}. Nothing happens until you press it.',
    button: 'Unsubscribe',
    doneTitle: 'You are unsubscribed',
    doneBody: '{brand} will not send you surveys by {channel} any more.',
    channelEmail: 'e-mail',
    channelSms: 'text message',
  },
  pages: {
    'invalid-link': {
      title: 'This link does not work',
      body: 'Please check that you opened the whole link from the message. If it still does not work, the survey may have been sent to someone else.',
    },
    expired: {
      title: 'This survey has closed',
      body: 'Thank you for wanting to answer. The link was valid for a limited time only.',
    },
    'rate-limited': {
      title: 'Too many attempts',
      body: 'Please wait a minute and try again.',
    },
    'comment-too-long': {
      title: 'Your comment is too long',
      body: 'Please go back, shorten your comment and send it again.',
    },
    'edit-closed': {
      title: 'Your answer is already saved',
      body: 'The time for changing it has passed. Thank you for your feedback!',
    },
    'not-found': {
      title: 'Page not found',
      body: 'The page you are looking for does not exist.',
    },
    'not-confirmed': {
      title: 'Your answer is not saved yet',
      body: 'Please open the link from the message again, choose your answer and press Send.',
    },
  },
  alerts: {
    detractorSubject: 'Detractor: {customer} rated {metric} {score}/{max} ({survey})',
    detractorBody:
      'A customer gave a low score and may need a follow-up.\n\n' +
      'Survey: {survey} ({metric})\n' +
      'Score: {score} out of {max}\n' +
      'Customer: {customer}\n' +
      'About: {subject}\n' +
      'Comment: {comment}\n\n' +
      'Open the alert: {link}',
    noComment: '(no comment)',
    churnRiskSubject: 'Churn risk: {customer}',
    churnRiskBody: 'A customer shows signs of leaving.\n\nCustomer: {customer}\nReasons: {reasons}\n\nOpen the alert: {link}',
  },
};
