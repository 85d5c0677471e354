/** Page sizes of every connection: `first` defaults to 20 and may not exceed 100. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
