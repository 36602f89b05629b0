/**
 * The last branch of an exhaustive `switch` over a discriminated union: `x` has type `never` there,
 * so a new member (a new operation kind, a new event) does not compile until every switch handles
 * it. At run time it is only reached through a value the types rule out.
 */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(x)}`);
}
