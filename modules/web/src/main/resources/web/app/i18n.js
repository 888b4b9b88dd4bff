// Korean first, English second. The language is remembered in localStorage and set on <html lang>.
import ko from './i18n/ko.js';
import en from './i18n/en.js';

const tables = { ko, en };
let lang = localStorage.getItem('plaza.lang') === 'en' ? 'en' : 'ko';
document.documentElement.lang = lang;

export function currentLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'ko';
  localStorage.setItem('plaza.lang', lang);
  document.documentElement.lang = lang;
}

/** The string for key in the current language, with {name} placeholders filled in (as plain text). */
export function t(key, params = {}) {
  const s = tables[lang][key] ?? tables.ko[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export function formatNumber(n) {
  return new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US').format(n);
}
