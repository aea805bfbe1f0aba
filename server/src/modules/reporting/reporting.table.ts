// Tables of the data-collection module: declared with migration 0005.
export {};
