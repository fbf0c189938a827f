// A long report (megabytes for a step of 100,000 cells) goes out in pieces of about one size: few enough writes to be
// fast, each small enough that a signal between two of them is acted on at once. The terminal report and the report
// files gather their pieces here.

/** Pieces joined into chunks of about `size` characters (a piece longer than that split into such chunks). */
export function* gathered(pieces: Iterable<string>, size: number): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; at += size) {
      const part = piece.length <= size ? piece : piece.slice(at, at + size);
      pending.push(part);
      length += part.length;
      if (length >= size) {
        yield pending.join('');
        pending = [];
        length = 0;
      }
    }
  }
  if (pending.length) yield pending.join('');
}
