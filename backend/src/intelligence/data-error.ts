/** An input problem the user can fix (bad file, unknown column, one-class label); its message is one line. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}
