// What the NLP.js stemmers and tokenizers that surveys/insights/text.ts imports take from @nlpjs/core, and
// nothing else: the package's entry point requires its whole container (NLU pipelines, storage, timers).
// Bundles only (infra/constructs/bundle-options.ts aliases @nlpjs/core here); tests and the local runtime
// use the package itself. The paths are relative because the alias would apply to '@nlpjs/core/...' too.
module.exports = {
  Among: require('../../node_modules/@nlpjs/core/src/among.js'),
  BaseStemmer: require('../../node_modules/@nlpjs/core/src/base-stemmer.js'),
  Tokenizer: require('../../node_modules/@nlpjs/core/src/tokenizer.js'),
};
