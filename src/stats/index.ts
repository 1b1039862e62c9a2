/** Statistics of the study reports: paired comparisons by seed, Holm's correction, verdicts, Kaplan–Meier and the log-rank test. */
export * from './paired.js';
export * from './survival.js';
