import fc from 'fast-check';

/**
 * A matrix with gaps (null: no arc) as compressed rows: per row its entries' columns and
 * values, row r at `rowStart[r] .. rowStart[r + 1]`. The solvers' tests write their small
 * problems as matrices.
 */
export function sparseRows(matrix: readonly (readonly (number | null)[])[]): {
  rowStart: Int32Array;
  column: Int32Array;
  value: number[];
} {
  const rowStart = new Int32Array(matrix.length + 1);
  const column: number[] = [];
  const value: number[] = [];
  matrix.forEach((row, r) => {
    row.forEach((entry, c) => {
      if (entry !== null) {
        column.push(c);
        value.push(entry);
      }
    });
    rowStart[r + 1] = column.length;
  });
  return { rowStart, column: Int32Array.from(column), value };
}

/** Random `rows` × `columns` matrices of `value`s with gaps (one in `freq` + 1 is null). */
export function gappyMatrix(
  rows: number,
  columns: number,
  value: fc.Arbitrary<number>,
  freq?: number,
): fc.Arbitrary<(number | null)[][]> {
  return fc.array(
    fc.array(fc.option(value, freq ? { freq } : {}), { minLength: columns, maxLength: columns }),
    {
      minLength: rows,
      maxLength: rows,
    },
  );
}
