// Tables of the scoring module (inputs, deductions, publications): declared with migration 0004.
export {};
