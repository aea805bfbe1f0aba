/** 好差评's vocabulary: the national five levels (best first) and the standard aspects a requester may rate. */
export const RATING_LEVELS = ['very_satisfied', 'satisfied', 'basic', 'unsatisfied', 'very_unsatisfied'] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];
export const RATING_ASPECTS = ['attitude', 'efficiency', 'result', 'convenience'] as const;
export type RatingAspect = (typeof RATING_ASPECTS)[number];
