// Tables of the performance-configuration module (years, indicators, plans): declared with migration 0003.
export {};
