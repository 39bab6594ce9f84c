/** The message of an assertion that must fail (the test fails if it passes). */
export function failureOf(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the assertion to fail');
}
