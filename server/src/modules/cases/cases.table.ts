// Tables of the case platform: declared with migration 0006.
export {};
