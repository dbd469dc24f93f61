// Row-major f64 matrix kernels on pointers into linear memory; no allocation, no checks
// (the TypeScript wrapper validated every size). Element (i, j) of an r×c matrix m is at
// m + 8*(i*c + j). Twin: src/backends/js/matrix.ts.

// out[m×n] = a[m×k] · b[k×n]   (i-p-j order: the inner loop streams rows of b and out)
export function matmul(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32): void {
  const n2 = n & ~1;
  for (let i = 0; i < m; i++) {
    const outRow = out + (<usize>(i * n) << 3);
    memory.fill(outRow, 0, <usize>n << 3);
    for (let p = 0; p < k; p++) {
      const aip = load<f64>(a + (<usize>(i * k + p) << 3));
      const av = f64x2.splat(aip);
      const bRow = b + (<usize>(p * n) << 3);
      let j = 0;
      for (; j < n2; j += 2) {
        const o = outRow + (<usize>j << 3);
        v128.store(o, f64x2.add(v128.load(o), f64x2.mul(av, v128.load(bRow + (<usize>j << 3)))));
      }
      if (j < n) {
        const o = outRow + (<usize>j << 3);
        store<f64>(o, load<f64>(o) + aip * load<f64>(bRow + (<usize>j << 3)));
      }
    }
  }
}

// out[m×n] = a[m×k] · b[n×k]ᵀ   (each element a dot product of two contiguous rows)
export function matmulTransB(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32): void {
  const k2 = k & ~1;
  for (let i = 0; i < m; i++) {
    const aRow = a + (<usize>(i * k) << 3);
    for (let j = 0; j < n; j++) {
      const bRow = b + (<usize>(j * k) << 3);
      let acc = f64x2.splat(0.0);
      let p = 0;
      for (; p < k2; p += 2) {
        acc = f64x2.add(acc, f64x2.mul(v128.load(aRow + (<usize>p << 3)), v128.load(bRow + (<usize>p << 3))));
      }
      let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      if (p < k) sum += load<f64>(aRow + (<usize>p << 3)) * load<f64>(bRow + (<usize>p << 3));
      store<f64>(out + (<usize>(i * n + j) << 3), sum);
    }
  }
}

// out[m×n] = a[k×m]ᵀ · b[k×n]   (p-i-j order: row p of a scales row p of b into out)
export function matmulTransA(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32): void {
  memory.fill(out, 0, <usize>(m * n) << 3);
  const n2 = n & ~1;
  for (let p = 0; p < k; p++) {
    const bRow = b + (<usize>(p * n) << 3);
    for (let i = 0; i < m; i++) {
      const api = load<f64>(a + (<usize>(p * m + i) << 3));
      const av = f64x2.splat(api);
      const outRow = out + (<usize>(i * n) << 3);
      let j = 0;
      for (; j < n2; j += 2) {
        const o = outRow + (<usize>j << 3);
        v128.store(o, f64x2.add(v128.load(o), f64x2.mul(av, v128.load(bRow + (<usize>j << 3)))));
      }
      if (j < n) {
        const o = outRow + (<usize>j << 3);
        store<f64>(o, load<f64>(o) + api * load<f64>(bRow + (<usize>j << 3)));
      }
    }
  }
}

// z[rows×cols] += b (the bias row added to every row)
export function addBias(z: usize, b: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const row = z + (<usize>(i * cols) << 3);
    for (let j = 0; j < cols; j++) {
      const p = row + (<usize>j << 3);
      store<f64>(p, load<f64>(p) + load<f64>(b + (<usize>j << 3)));
    }
  }
}

// out[cols] = Σ_i d[i][·]  (dE/db: the bias feeds every row of the batch)
export function sumRows(d: usize, out: usize, rows: i32, cols: i32): void {
  memory.fill(out, 0, <usize>cols << 3);
  for (let i = 0; i < rows; i++) {
    const row = d + (<usize>(i * cols) << 3);
    for (let j = 0; j < cols; j++) {
      const p = out + (<usize>j << 3);
      store<f64>(p, load<f64>(p) + load<f64>(row + (<usize>j << 3)));
    }
  }
}
