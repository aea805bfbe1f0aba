/** A name in both UI languages: Chinese first, English second (the GLOSSARY's left column). */
export type Names = { readonly zh: string; readonly en: string };

/** The Chinese names of a vocabulary, for server-side texts (exports, SMS, documents) that are Chinese only. */
export function zhNames<K extends string>(names: Readonly<Record<K, Names>>): Record<K, string> {
  return Object.fromEntries(Object.entries<Names>(names).map(([k, n]) => [k, n.zh])) as Record<K, string>;
}
