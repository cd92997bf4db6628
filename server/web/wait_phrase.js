// How long until something can be tried again, said as a person would: "za około 2 minuty" / "in about 2
// minutes". Whole seconds under a minute, minutes under an hour, hours beyond. Always rounded up: someone
// who tries again at the time said must not be turned away again for trying a little too soon.
const UNITS = {
  pl: {
    about: 'za około',
    second: { one: 'sekundę', few: 'sekundy', many: 'sekund' },
    minute: { one: 'minutę', few: 'minuty', many: 'minut' },
    hour: { one: 'godzinę', few: 'godziny', many: 'godzin' },
  },
  en: {
    about: 'in about',
    second: { one: 'second', other: 'seconds' },
    minute: { one: 'minute', other: 'minutes' },
    hour: { one: 'hour', other: 'hours' },
  },
};
// "za około minutę", "in about an hour": one minute or hour is said without the number.
const ONE = { pl: { minute: 'minutę', hour: 'godzinę' }, en: { minute: 'a minute', hour: 'an hour' } };

/** `seconds` (more than 0) from now as a phrase in `lang` ('pl' or 'en'), e.g. "za około 45 sekund". */
export function waitPhrase(seconds, lang) {
  const minutes = Math.ceil(seconds / 60);
  const [n, unit] = seconds < 60 ? [Math.ceil(seconds), 'second']
    : minutes < 60 ? [minutes, 'minute'] : [Math.ceil(seconds / 3600), 'hour'];
  const words = UNITS[lang];
  if (n === 1 && ONE[lang][unit]) return `${words.about} ${ONE[lang][unit]}`;
  const forms = words[unit];
  const form = forms[new Intl.PluralRules(lang).select(n)] ?? forms.many ?? forms.other;
  return `${words.about} ${n} ${form}`;
}
