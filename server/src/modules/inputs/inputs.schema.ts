/** The score inputs' vocabulary, shared with the web app. */

/** Where a score input came from. */
export const INPUT_SOURCES = ['self_report', 'third_party', 'case_platform', 'supervision', 'evaluation', 'manual'] as const;
export type InputSource = (typeof INPUT_SOURCES)[number];
