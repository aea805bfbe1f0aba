/** The score inputs' vocabulary, shared with the web app. */

/** Where a score input came from. */
export { INPUT_SOURCES, type InputSource } from '../../../../common/performance.js';
