/** A bad sweep spec. In its own module so worker threads can use it without loading the schema libraries. */
export class SpecError extends Error {
  override name = 'SpecError';
}
