// Types of build-freshness.js (plain JavaScript: the launchers run before any TypeScript loader).
export declare const SOURCE_DIRS: string[];
export declare function newestSourceMtimeMs(root: string): number;
export declare function distIsCurrent(root: string): boolean;
