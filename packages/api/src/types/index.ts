// Kind types, one file per API group.
export {};
