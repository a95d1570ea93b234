/**
 * Sentiment words with weights (±1 ordinary, ±2 strong, ±0.5 faint), negators and contrast words, per
 * language. Entries use the cue syntax of taxonomy.ts for single words (`word` any inflection,
 * `prefix*`); several-word entries are consecutive words. Written from dev.jsonl and shop vocabulary.
 */
import type { Lang } from './text.ts';

const entries = (weight: number, text: string): Array<[string, number]> =>
  text
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((w) => [w, weight]);

export const SENTIMENT_WORDS: Record<Lang, Array<[string, number]>> = {
  pl: [
    ...entries(
      2,
      `polecam | polecamy | polecenia | rewelacj* | rewelacyjn* | świetn* | swietn* | super | zadowolon* | idealn* | wzorow* |
      przemił* | doskonał* | znakomit* | fantastyczn* | brawo | najlepsz* | profesjonaln* | błyskawiczn* | ekspresow*`,
    ),
    ...entries(
      1,
      `dobr* | dobrze | szybk* | szybko | sprawn* | mił* | uprzejm* | pomocn* | pomógł | pomogła | kompetentn* | dziękuj* |
      dzięki | dziekuj* | fajn* | wygodn* | łatw* | latw* | przejrzyst* | intuicyjn* | płynn* | piękn* | ładn* | solidn* |
      bezproblemow* | tanio | przystępn* | plus | warto | porządku | porzadku | zgodn* | przydatn* | cierpliw* | konkretn* |
      pozytywnie | uznan* | przyjęt* | wyjaśniła | wyjasnila | nawilżon* | bezpiecznie | od ręki | w terminie | na czas |
      na bieżąco | zabezpieczon* | darmow* | przetrwał* | działa płynnie | nieuszkodzon* | od razu | o czasie |
      wszystko ok | problem rozwiązany | rozwiązan* | rozwiazan* | rozpatrzon*`,
    ),
    ...entries(0.5, 'w porządku | zgodnie | działa | cała | cały | całe | całą'),
    ...entries(0.3, 'ok | okej'),
    ...entries(
      -2,
      `tragiczn* | tragedia | fatalni* | fatalny | fatalna | beznadziejn* | rozczarowan* | oszuści | oszust* | skandal* |
      okropn* | najgorsz* | masakra | żenad* | zenad* | nigdy więcej`,
    ),
    ...entries(
      -1,
      `słab* | slab* | zły | zła | złe | źle | zle | uszkodz* | zniszczon* | zgniecion* | pognieciona | wgniecion* |
      rozerwan* | porwan* | pękn* | zepsut* | wadliw* | niemił* | nieuprzejm* | opryskliw* | arogan* | niegrzeczn* |
      niekompetent* | długo | dlugo | długi | dlugi | wolno | wolna | wolny | spóźni* | spozni* | opóźni* | opozni* | zgubi* |
      problem* | błąd | błęd* | bled* | blad | drogo | drogie | drozsze | droższe | za drogo | przesad* | niestety | brak |
      zero | nikt | niezgodn* | wieki | skomplikowan* | nieczytelna | zawiesz* | wysypuj* | odrzucon* | zbywał* | cisza |
      rzucon* | zablokowan* | pachnie chemią | prują | mechaci | rozciągnęła | rozciagnela | mokre | inny | inne | zmarnowan* |
      zastrzeżeń | zastrzezen | przestał | przestała | nieopłacon* | niedział* | anulowan* | niestety | reklamacja w toku |
      byle jak | luzem | kłopot* | nie taki | nie taka | inny niż | za wysok* | spodziewał* | leżał* | dwa razy | dwukrotnie | wyższ* | wyzsz*`,
    ),
    ...entries(-0.5, 'czekam | czekałem | czekałam | czekalem | czekalam | trwał | trwała | za mał* | za duż* | za krótk*'),
  ],
  en: [
    ...entries(
      2,
      `excellent | amazing | awesome | love | loved | perfect | perfectly | recommend | brilliant | fantastic | outstanding |
      superb | impressive | impressed | above and beyond | seamless | happy`,
    ),
    ...entries(
      1,
      `great | good | nice | nicely | fast | quick | quickly | easy | easily | friendly | helpful | polite | professional |
      patient | knowledgeable | thanks | thank | clear | handy | fair | careful | carefully | reassuring | well | cheerful |
      kind | pleased | as described | smooth | glad | free | hassle free | on time | resolved | sorted | useful | fits`,
    ),
    ...entries(0.5, 'decent | works'),
    ...entries(0.3, 'ok | okay'),
    ...entries(0, 'fine | nothing to add'),
    ...entries(
      -2,
      `terrible | awful | horrible | worst | nightmare | disappointed | disappointing | useless | rude | scam | disgusting |
      never again | appalling`,
    ),
    ...entries(
      -1,
      `bad | poor | slow | late | broke | broken | damaged | crushed | smashed | torn | soaked | wet | wrong | faulty |
      defective | unhappy | unhelpful | dismissive | expensive | overpriced | flimsy | confusing | pain | problem | problems |
      issue | issues | failed | fail | fails | declined | crash | crashes | crashing | forever | ages | hassle | rejected |
      ignored | lost | excessive | complain | complaint | complaints | stopped | faded | missing | delayed | chase | pricey |
      annoying | frustrating | cheap | ruined | worse | mess | twice | different | not as described`,
    ),
    ...entries(-0.5, 'waited | waiting | still | took | guess | small'),
  ],
};

/** Words that flip the next sentiment word in their clause (within three words). */
export const NEGATORS: Record<Lang, ReadonlySet<string>> = {
  pl: new Set(['nie', 'ani', 'bez', 'zadnych', 'zadnego', 'zaden', 'zadnej', 'brak']),
  en: new Set([
    'not',
    'no',
    'never',
    'without',
    'nothing',
    'none',
    'hardly',
    'nobody',
    'didnt',
    'dont',
    'doesnt',
    'wasnt',
    'isnt',
    'cant',
    'couldnt',
    'wont',
    'wouldnt',
    'havent',
    'arent',
    'werent',
  ]),
};

/** Contrast words: what follows weighs more than what precedes ("ok, ale…"), as in VADER. */
export const CONTRASTS: Record<Lang, ReadonlySet<string>> = {
  pl: new Set(['ale', 'jednak', 'lecz', 'natomiast']),
  en: new Set(['but', 'however', 'although', 'yet']),
};
