/** Vite's `?raw` imports (web/src/bundled.ts) for the root tsc, which compiles web/src/worker/. */
declare module '*?raw' {
  const text: string;
  export default text;
}
