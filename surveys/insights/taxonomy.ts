/**
 * Comment topics: what a taxonomy is, and the default one.
 *
 * A taxonomy is data, passed to the classifier: the survey settings (issue 11) will carry one per shop,
 * validated by `taxonomySchema`. The default topic ids are part of the contract (DESIGN.md "Insights").
 *
 * A cue is written as a person would search for it, with or without Polish diacritics:
 * - `kurier` — a word in any inflection: the word and the cue are folded and stemmed alike (text.ts);
 * - `reklamac*` — any word beginning with these letters (for stems the stemmer does not unify);
 * - `czas oczekiwania` — consecutive words;
 * - `obsługa ~ miła` — both words within four words of each other, in any order.
 * Several-word cues are tried first and the words they match are used up, so "koszt wysyłki" is a
 * price, not a delivery, and "kurier ~ niemiły" keeps "niemiły" from naming the agent.
 * `ignore` cues use words up without naming a topic ("pieniądze na koncie" is not an account on the site).
 * The word lists were written from test/fixtures/comments/dev.jsonl and general shop vocabulary,
 * never from the held-out test split.
 */
import * as z from '../zod.ts';
import type { Lang } from './text.ts';
import { DEFAULT_TOPIC_LABELS, type DefaultTopicId } from './topic-labels.ts';

const cue = z.string().check(z.minLength(1), z.maxLength(80));
const cues = z.array(cue).check(z.maxLength(500));
const cuesSchema = z.object({ pl: cues, en: cues });

export const taxonomySchema = z.object({
  topics: z
    .array(
      z.object({
        id: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/, 'a topic id is lower-case letters, digits and dashes')),
        label: z.object({ pl: cue, en: cue }),
        cues: cuesSchema,
      }),
    )
    .check(z.minLength(1), z.maxLength(50)),
  ignore: z.optional(cuesSchema),
});
export type Taxonomy = z.infer<typeof taxonomySchema>;
export type TopicDefinition = Taxonomy['topics'][number];

export { DEFAULT_TOPIC_IDS, type DefaultTopicId } from './topic-labels.ts';

const words = (text: string): string[] =>
  text
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean);

const topic = (id: DefaultTopicId, cues: Record<Lang, string>): TopicDefinition => ({
  id,
  label: { ...DEFAULT_TOPIC_LABELS[id] },
  cues: { pl: words(cues.pl), en: words(cues.en) },
});

export const DEFAULT_TAXONOMY: Taxonomy = {
  topics: [
    topic('delivery', {
      pl: `kurier* | dostawa | dostawy | dostawie | dostawę | dostawą | dostawca | dostawcy | dostarcz* | doręcz* | przesyłk* | wysyłk* | wysłan* | wysłal* | paczkomat* | sortowni* | awizo |
        na czas | o czasie | w terminie | następnego dnia | dzień wcześniej | czas realizacji | realizacj* ~ szybk* | realizacj* ~ dług* | spóźni* | opóźni* |
        zgubi* | przyjechał | przyjedzie | doszła | doszło | dotarł* ~ godzin* | paczk* ~ tydzień | paczk* ~ tygodniu |
        czekał* na paczk* | paczk* ~ sąsiad* | kurier* ~ niemił* | kurier* ~ miły | kurier* ~ uprzejm* | przysz* ~ szybk* | dotar* ~ szybk* | odbior* paczk*`,
      en: `delivery | deliveries | deliver | delivered | courier | couriers | shipping | shipped | ship | dispatch* | driver |
        postman | tracking | on time | next day | late | lost | never arrived | never received |
        wrong address | left ~ parcel | left ~ package | took ~ days | courier ~ rude | courier ~ friendly | driver ~ polite |
        driver ~ rude | driver ~ careful`,
    }),
    topic('packaging', {
      pl: `opakowan* | zapakowan* | pakowan* | karton* | pudełk* | foli* | zabezpiecz* | zgniecion* | pognieciona | pogniecione |
        wgniecion* | rozerwan* | porwan* | nieuszkodzon* | paczk* ~ uszkodzon* | paczk* ~ cała | mokre | luzem`,
      en: `packaging | packed | packaged | package ~ damaged | parcel ~ damaged | wrapped | wrapping | box | boxes | bubble wrap |
        crushed | dented | smashed | torn | soaked | plastic`,
    }),
    topic('product', {
      pl: `produkt* ~ @opinion | towar* ~ @opinion | jakoś* | jakos* | materiał* | rozmiar* ~ @opinion | rozmiarówk* | niż zamówion* | zgodn* z opisem | zgodn* z zamówieniem | niezgodn* |
        opis* | zdjęci* | kolor* | wadliw* | wada | wady | pasuj* | za mał* | za duż* | za krótk* | szwy |
        pękn* | zepsut* | przestał* działać | nie działał* | wykonani* | pachnie | działa świetnie`,
      en: `product ~ @opinion | products ~ @opinion | item ~ @opinion | items ~ @opinion | quality | material | materials | as described | not as described | size | sizes |
        fit | fits | colour | color | broke | broken | defective | faulty | stopped working | flimsy | faded | runs small |
        runs large | photos | pictures | wrong size | wrong item | feel* cheap | look* cheap | different from`,
    }),
    topic('price', {
      pl: `cen* | drog* | droż* | drozsz* | tani* | tanio | przystępn* | koszt* | kosztuj* | zniż* | rabat* | promocj* |
        wyprzedaż* | darmow* dostaw* | darmow* wysyłk* | za darmo | koszt* wysyłki | koszt* dostawy | wart* | przepłac* | zł`,
      en: `price | prices | priced | pricing | overpriced | expensive | pricey | cheap | cheaper | affordable | value |
        value for money | worth | discount | discounts | promo | promo code | sale | free shipping | shipping cost |
        shipping costs | cost | costs | fee | fees`,
    }),
    topic('returns', {
      pl: `zwrot* | zwróc* | zwroc* | oddać | odda* | odesła* | odesłan* | reklamac* | wymian* | gwaranc* |
        pieniądze wróciły | pieniądze nie wróciły | nowy egzemplarz | czeka* na zwrot*`,
      en: `return | returns | returning | refund | refunds | refunded | exchange | exchanged | warranty | replacement |
        send back | sent back`,
    }),
    topic('payment', {
      pl: `płatnoś* | platnos* | płaci* | zapłac* | zaplac* | zapłat* | przelew* | blik* | karta | kartą | karty | kartę | karcie | kartami | kartę | obciąż* | faktur* | vat |
        przy odbiorze | pobrani* | opłacon* | nieopłacon* | paypal`,
      en: `payment | payments | pay | paid | paying | card | credit card | charged | charge | invoice | invoices | paypal |
        klarna | apple pay | declined | billing`,
    }),
    topic('website', {
      pl: `stron* | witryn* | aplikacj* | koszyk* | wyszukiwark* | logowani* | zalogow* | wylogow* | konto | konta | koncie |
        hasł* | hasl* | filtr* | finalizacj* | przycisk* | zawiesz* | wysypuj* | ładuje | laduje | panel* | formularz*`,
      en: `website | site | web | app | checkout | basket | cart | search | login | log in | logging | logged | account |
        password | navigate | page | crashes | crash | sign in`,
    }),
    topic('support-speed', {
      pl: `czeka* | oczekiwani* | odpowied* | odpowiada* | odpis* | odbiera* | odzew* | reakcj* | rozwiąza* | rozwiaza* |
        załatwion* | zalatwion* | zgłoszeni* | na maila | na maile | na mail | kilka razy pisać | obsług* ~ sprawn* |
        sprawn* obsług* | obsług* ~ tragiczn* | obsług* ~ godzin* | szybk* kontakt | dobry kontakt`,
      en: `wait | waited | waiting | on hold | reply | replied | replies | respond | responded | response | answer | answered |
        took forever | took ages | picked up | resolved | chase | to my email | to my emails | took forever to |
        service ~ fast | service ~ slow`,
    }),
    topic('agent', {
      pl: `konsultant* | pani | pan | pracowni* | sprzedaw* | doradc* | uprzejm* | nieuprzejm* | opryskliw* | arogan* |
        niekompetent* | kompetent* | cierpliw* | pomocn* | pomógł | pomogła | pomogli | niegrzeczn* | rozmow* | zbywał* |
        obsług* ~ mił* | obsług* ~ profesjonaln* | mił* ~ obsług* | obsług* ~ nieuprzejm* | obsług* ~ kompetent* |
        z obsługi ~ nikt`,
      en: `agent | agents | representative | rep | staff | person | guy | lady | rude | polite | knowledgeable | professional |
        patient | dismissive | helpful* | unhelpful* | friendly | kind | spoke to | went above and beyond | brilliant`,
    }),
    topic('communication', {
      pl: `informacj* | informow* | poinformow* | na bieżąco | powiadomi* | sms* | mail* | email* | potwierdzeni* |
        status* | kontakt* ~ sklep* | wyjaśnił | cisza | nic nie mówi | numer* przesyłki | przypomin*`,
      en: `informed | inform | information | update | updates | updated | notification | notifications | notified | email |
        emails | confirmation | shipping confirmation | text | texts | kept me | told me | heard nothing | status`,
    }),
  ],
  ignore: {
    pl: words('pieniądze na koncie | na koncie | brak uwag | jak zwykle'),
    en: words('customer service | customer support | no complaints | help desk'),
  },
};

/** Topic ids as a lead reads them, in their language ("delivery" → "Dostawa"); unknown ids as they are. */
export function topicLabels(ids: string[], language: Lang, taxonomy: Taxonomy = DEFAULT_TAXONOMY): string[] {
  return ids.map((id) => taxonomy.topics.find((t) => t.id === id)?.label[language] ?? id);
}
