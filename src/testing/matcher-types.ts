/** The matcher types shared by our jest matchers. */

/**
 * The part of jest's matcher context used here. Declared locally so the published types do not
 * depend on @types/jest; jest's own context is assignable to it.
 */
export interface MatcherContextLike {
  readonly isNot?: boolean;
  readonly promise?: string;
  readonly utils: {
    matcherHint(matcherName: string, received?: string, expected?: string, options?: { isNot?: boolean; promise?: string }): string;
  };
}

export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}
