// The @nlpjs language packages ship CommonJS without type declarations; these are the parts used here.
declare module '@nlpjs/lang-pl/src/stemmer-pl.js' {
  export default class StemmerPl {
    stemWord(word: string): string;
  }
}
declare module '@nlpjs/lang-pl/src/tokenizer-pl.js' {
  export default class TokenizerPl {
    tokenize(text: string, normalize?: boolean): string[];
  }
}
declare module '@nlpjs/lang-en-min/src/stemmer-en.js' {
  export default class StemmerEn {
    stemWord(word: string): string;
  }
}
declare module '@nlpjs/lang-en-min/src/tokenizer-en.js' {
  export default class TokenizerEn {
    tokenize(text: string, normalize?: boolean): string[];
  }
}
