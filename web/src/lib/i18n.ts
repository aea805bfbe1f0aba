import { currentLang } from './api';

/** Picks the Chinese or English text for the current UI language. */
export function t(zh: string, en: string): string {
  return currentLang() === 'en' ? en : zh;
}

export function setLang(lang: 'zh' | 'en') {
  localStorage.setItem('xn.lang', lang);
  window.location.reload();
}
