/** Types for build.mjs (plain JavaScript so that it runs before TypeScript can be compiled). */
export declare const root: string;
export declare function buildServer(): Promise<void>;
