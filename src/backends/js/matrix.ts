// Row-major f64 matrix kernels in plain TypeScript, the twin of assembly/matrix.ts: the same
// loop orders, on Float64Arrays; no allocation, no checks. Element (i, j) of an r×c matrix m
// is m[i*c + j].

// out[m×n] = a[m×k] · b[k×n]
export function matmul(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const outRow = i * n;
    out.fill(0, outRow, outRow + n);
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) out[outRow + j] += aip * b[bRow + j];
    }
  }
}

// out[m×n] = a[m×k] · b[n×k]ᵀ
export function matmulTransB(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const aRow = i * k;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
      out[i * n + j] = sum;
    }
  }
}

// out[m×n] = a[k×m]ᵀ · b[k×n]
export function matmulTransA(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number): void {
  out.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const bRow = p * n;
    for (let i = 0; i < m; i++) {
      const api = a[p * m + i];
      const outRow = i * n;
      for (let j = 0; j < n; j++) out[outRow + j] += api * b[bRow + j];
    }
  }
}

// z[rows×cols] += b
export function addBias(z: Float64Array, b: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) z[i * cols + j] += b[j];
  }
}

// out[cols] = Σ_i d[i][·]
export function sumRows(d: Float64Array, out: Float64Array, rows: number, cols: number): void {
  out.fill(0, 0, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j] += d[i * cols + j];
  }
}
