;; The WebAssembly SIMD kernels (f32x4): one module over one memory, which it imports. The
;; integer kernels of the block formats are quant.wat's, a second module over the same memory.
;;
;; Index (exported functions; the TypeScript declarations are KernelExports in
;; src/backend/module.ts, checked against this module's exports by scripts/build-wasm.mjs):
;;   linear            y = x·Wᵀ + b, 2×4 dot-product tiles over panels of W
;;   linearRow         the same for one row of x (a generation step), eight rows of W at a time
;;   linearPackedRow   one row of x over a weight stored as matmulPacked's panels (a generation's snapshot)
;;   widen16           16-bit weights (F16 or BF16) to float32
;;   linearRow16       one row of x over 16-bit weights, widened in registers
;;   matmulPacked      c += a·b over packed operands (linear on many rows, and its backward)
;;   columnSums        Σ over rows (the bias gradient)
;;   packPanels, packColumns, packRows   the layouts matmulPacked reads
;;   softmax           row softmax with a vectorised exp
;;   attention         one head of scaled dot-product attention (causal, window, ALiBi slope)
;;   attentionBackward its gradients for one head
;;   geluTanh, geluTanhBackward, adamw   element-wise
;;   siluGated         SwiGLU's silu(gate)·up, element-wise
;;
;; ABI
;; - Memory: imported as env.memory, 1 page to start, at most 32768 pages (2 GiB: every byte offset
;;   is a positive i32). The build makes two modules from this text: this one, and one whose memory
;;   is shared (where threads are possible). The caller (src/backend/memory.ts) owns the memory and
;;   allocates in it: this module has no globals and no allocator of its own.
;; - Pointers are byte offsets into that memory; counts (M, K, N, T, S, D, n, …) are in floats or
;;   rows as each function says. Offset 0 is never a buffer (the allocator starts at 64).
;; - Alignment: every buffer the caller allocates starts on 64 bytes; the kernels use unaligned
;;   v128 loads, so a view at any float offset works (only slower).
;; - Padding: each function names the multiples it needs (K of 4, N of 4 or 8, M of 2 or 4); the
;;   caller zero-pads where its arrays do not meet them. Reads may run up to one tile past the last
;;   row of an operand (inside memory); writes never leave the output.
;; - Scratch: a function that needs working rows (attention's score rows) takes a pointer to them.
;; - Numerics: float32 throughout. The build also assembles a fused variant in which every
;;   multiply feeding an add is one relaxed_madd (scripts/wasm-fuse.mjs parses the text to find
;;   them all); keep a multiply-add as an f32x4.add over an f32x4.mul where fusing it is wanted.
;;
;; linear: y = x·Wᵀ + b, the layout of the JavaScript kernel: x [M, K] and
;; W [N, K] row-major, so every output is a dot product of two contiguous rows.
;; The caller pads: K to a multiple of 4, M to a multiple of 2, N to a multiple of 4, with zeros
;; (zeros add nothing to a dot product), and b to N entries.
;; Tiles of 2 rows × 4 columns: 8 f32x4 accumulators, each summing 4 lanes of k at a time; for each
;; step of 4 k, 2 loads of x and 4 of W feed 8 multiply-adds. W is walked in panels of `panel` rows
;; so they stay in cache while every row of x passes over them.
(module
  (import "env" "memory" (memory 1 32768))

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; [Σ a, Σ b, Σ c, Σ d]: four horizontal sums at once (a 4×4 transpose by shuffles, then adds)
  (func $sum4 (param $a v128) (param $b v128) (param $c v128) (param $d v128) (result v128)
    (local $ab v128) (local $cd v128)
    (local.set $ab (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b))))
    (local.set $cd (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $c) (local.get $d))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $c) (local.get $d))))
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $ab) (local.get $cd))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $ab) (local.get $cd))))

  (func (export "linear")
    (param $x i32) (param $w i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $panel i32)
    (local $row i32) (local $j0 i32) (local $j1 i32) (local $i i32) (local $j i32) (local $k i32)
    (local $x0 i32) (local $x1 i32) (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)
    (local $o0 i32) (local $o1 i32) (local $bj i32)
    (local $p v128) (local $q v128) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $row (i32.shl (local.get $K) (i32.const 2)))
    (local.set $j0 (i32.const 0))
    (block $panels_done
      (loop $panels
        (br_if $panels_done (i32.ge_u (local.get $j0) (local.get $N)))
        (local.set $j1 (i32.add (local.get $j0) (local.get $panel)))
        (if (i32.gt_u (local.get $j1) (local.get $N)) (then (local.set $j1 (local.get $N))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $M)))
            (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $row))))
            (local.set $x1 (i32.add (local.get $x0) (local.get $row)))
            (local.set $j (local.get $j0))
            (block $cols_done
              (loop $cols
                (br_if $cols_done (i32.ge_u (local.get $j) (local.get $j1)))
                (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $row))))
                (local.set $w1 (i32.add (local.get $w0) (local.get $row)))
                (local.set $w2 (i32.add (local.get $w1) (local.get $row)))
                (local.set $w3 (i32.add (local.get $w2) (local.get $row)))
                (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
                (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
                (local.set $c0 (v128.const i32x4 0 0 0 0)) (local.set $c1 (v128.const i32x4 0 0 0 0))
                (local.set $c2 (v128.const i32x4 0 0 0 0)) (local.set $c3 (v128.const i32x4 0 0 0 0))
                (local.set $k (i32.const 0))
                (block $k_done
                  (loop $ks
                    (br_if $k_done (i32.ge_u (local.get $k) (local.get $row)))
                    (local.set $p (v128.load (i32.add (local.get $x0) (local.get $k))))
                    (local.set $q (v128.load (i32.add (local.get $x1) (local.get $k))))
                    (local.set $v (v128.load (i32.add (local.get $w0) (local.get $k))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $v))))
                    (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $q) (local.get $v))))
                    (local.set $v (v128.load (i32.add (local.get $w1) (local.get $k))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $v))))
                    (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $q) (local.get $v))))
                    (local.set $v (v128.load (i32.add (local.get $w2) (local.get $k))))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $v))))
                    (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $q) (local.get $v))))
                    (local.set $v (v128.load (i32.add (local.get $w3) (local.get $k))))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $p) (local.get $v))))
                    (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $q) (local.get $v))))
                    (local.set $k (i32.add (local.get $k) (i32.const 16)))
                    (br $ks)))
                (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
                (local.set $o0 (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2))))
                (local.set $o1 (i32.add (local.get $o0) (i32.shl (local.get $N) (i32.const 2))))
                (local.set $v (v128.load (local.get $bj)))
                (v128.store (local.get $o0) (f32x4.add (call $sum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)) (local.get $v)))
                (v128.store (local.get $o1) (f32x4.add (call $sum4 (local.get $c0) (local.get $c1) (local.get $c2) (local.get $c3)) (local.get $v)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $cols)))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $rows)))
        (local.set $j0 (i32.add (local.get $j0) (local.get $panel)))
        (br $panels))))

  ;; out[j] = b[j] + Σ_k x[k]·w[j, k] for a single row x (a generation step): eight rows of W at a
  ;; time — eight independent streams for the memory system, where "linear" reads four and spends half
  ;; its multiply-adds on the padding row — then four. The eight are rows j + s·N/8, not eight
  ;; neighbours: each stream then runs on into the next row, one long ascending stream the prefetcher
  ;; follows (neighbours make eight short ones it loses at every group). K and N multiples of 4 (N rows of W exist).
  (func $linearRow (export "linearRow")
    (param $x i32) (param $w i32) (param $b i32) (param $out i32) (param $K i32) (param $N i32)
    (local $row i32) (local $j i32) (local $k i32) (local $Q i32) (local $qBytes i32) (local $q4 i32) (local $p v128) (local $v v128)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32) (local $w4 i32) (local $w5 i32) (local $w6 i32) (local $w7 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $row (i32.shl (local.get $K) (i32.const 2)))
    (local.set $Q (i32.shr_u (local.get $N) (i32.const 3)))
    (local.set $qBytes (i32.mul (local.get $Q) (local.get $row)))
    (local.set $q4 (i32.shl (local.get $Q) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $t8_done
      (loop $t8
        (br_if $t8_done (i32.ge_u (local.get $j) (local.get $Q)))
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $row))))
        (local.set $w1 (i32.add (local.get $w0) (local.get $qBytes)))
        (local.set $w2 (i32.add (local.get $w1) (local.get $qBytes)))
        (local.set $w3 (i32.add (local.get $w2) (local.get $qBytes)))
        (local.set $w4 (i32.add (local.get $w3) (local.get $qBytes)))
        (local.set $w5 (i32.add (local.get $w4) (local.get $qBytes)))
        (local.set $w6 (i32.add (local.get $w5) (local.get $qBytes)))
        (local.set $w7 (i32.add (local.get $w6) (local.get $qBytes)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0)) (local.set $a4 (v128.const i32x4 0 0 0 0)) (local.set $a5 (v128.const i32x4 0 0 0 0)) (local.set $a6 (v128.const i32x4 0 0 0 0)) (local.set $a7 (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $k8_done
          (loop $k8
            (br_if $k8_done (i32.ge_u (local.get $k) (local.get $row)))
            (local.set $p (v128.load (i32.add (local.get $x) (local.get $k))))
            (local.set $v (v128.load (i32.add (local.get $w0) (local.get $k))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $v (v128.load (i32.add (local.get $w1) (local.get $k))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $v (v128.load (i32.add (local.get $w2) (local.get $k))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $v (v128.load (i32.add (local.get $w3) (local.get $k))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $v (v128.load (i32.add (local.get $w4) (local.get $k))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $v (v128.load (i32.add (local.get $w5) (local.get $k))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $v (v128.load (i32.add (local.get $w6) (local.get $k))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $v (v128.load (i32.add (local.get $w7) (local.get $k))))
            (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $k8)))
        ;; rows j + s·Q, s = 0 … 7
        (local.set $p (call $sum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)))
        (local.set $v (call $sum4 (local.get $a4) (local.get $a5) (local.get $a6) (local.get $a7)))
        (local.set $k (i32.shl (local.get $j) (i32.const 2)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 0 (local.get $p)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $q4)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 1 (local.get $p)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $q4)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 2 (local.get $p)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $q4)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 3 (local.get $p)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $q4)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $q4)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 1 (local.get $v)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $q4)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $q4)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 3 (local.get $v)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $t8)))
    (local.set $j (i32.shl (local.get $Q) (i32.const 3)))
    (block $t4_done
      (loop $t4
        (br_if $t4_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $N)))
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $row))))
        (local.set $w1 (i32.add (local.get $w0) (local.get $row)))
        (local.set $w2 (i32.add (local.get $w1) (local.get $row)))
        (local.set $w3 (i32.add (local.get $w2) (local.get $row)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $k4_done
          (loop $k4
            (br_if $k4_done (i32.ge_u (local.get $k) (local.get $row)))
            (local.set $p (v128.load (i32.add (local.get $x) (local.get $k))))
            (local.set $v (v128.load (i32.add (local.get $w0) (local.get $k))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $v (v128.load (i32.add (local.get $w1) (local.get $k))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $v (v128.load (i32.add (local.get $w2) (local.get $k))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $v (v128.load (i32.add (local.get $w3) (local.get $k))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $p) (local.get $v))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $k4)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.add (call $sum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)) (v128.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $t4)))
)

  ;; widen16: dst [n] float32 = src [n] 16-bit floats (n a multiple of 8), kind 0: IEEE binary16
  ;; (F16), 1: bfloat16 (BF16). F16, eight values at a time: the float32 bits sign | magnitude << 13
  ;; built in 16-bit lanes (high halves: sign | magnitude >> 3, low halves: magnitude << 13) and
  ;; interleaved into 32-bit lanes, then scaled by 2^112 (normals and subnormals exactly, the sign
  ;; kept). Eight values holding exponent 31 (∞, NaN) take the slow form instead: each value
  ;; sign-extended to 32 bits, its magnitude bits moved to float32's place (<< 17 >>> 4), scaled,
  ;; exponent 31 made float32's 255, the sign put back — written out twice (a call per four values
  ;; costs more than the conversion).
  (func $widen16 (export "widen16") (param $src i32) (param $dst i32) (param $n i32) (param $kind i32)
    (local $end i32) (local $h v128) (local $h4 v128) (local $mag v128) (local $f v128) (local $lo v128) (local $hi v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 1))))
    (if (local.get $kind)
      (then
        (block $bf_done
          (loop $bf
            (br_if $bf_done (i32.ge_u (local.get $src) (local.get $end)))
            (local.set $h (v128.load (local.get $src)))
            (v128.store (local.get $dst) (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $h)) (i32.const 16)))
            (v128.store offset=16 (local.get $dst) (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $h)) (i32.const 16)))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (br $bf))))
      (else
        (block $f_done
          (loop $f
            (br_if $f_done (i32.ge_u (local.get $src) (local.get $end)))
            (local.set $h (v128.load (local.get $src)))
            (if (v128.any_true (i16x8.ge_u (i16x8.shl (local.get $h) (i32.const 1)) (v128.const i16x8 0xf800 0xf800 0xf800 0xf800 0xf800 0xf800 0xf800 0xf800)))
              (then
            (local.set $h4 (i32x4.extend_low_i16x8_s (local.get $h)))
            (local.set $mag (i32x4.shr_u (i32x4.shl (local.get $h4) (i32.const 17)) (i32.const 4)))
            (local.set $f (f32x4.mul (local.get $mag) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $f (v128.bitselect (v128.or (local.get $mag) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $f)
              (i32x4.gt_s (local.get $mag) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))))
            (local.set $f (v128.or (local.get $f) (v128.and (local.get $h4) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
            (v128.store (local.get $dst) (local.get $f))
            (local.set $h4 (i32x4.extend_high_i16x8_s (local.get $h)))
            (local.set $mag (i32x4.shr_u (i32x4.shl (local.get $h4) (i32.const 17)) (i32.const 4)))
            (local.set $f (f32x4.mul (local.get $mag) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $f (v128.bitselect (v128.or (local.get $mag) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $f)
              (i32x4.gt_s (local.get $mag) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))))
            (local.set $f (v128.or (local.get $f) (v128.and (local.get $h4) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
            (v128.store offset=16 (local.get $dst) (local.get $f))
)
              (else
                (local.set $lo (i16x8.shl (local.get $h) (i32.const 13)))
                (local.set $hi (v128.and (i16x8.shr_s (local.get $h) (i32.const 3)) (v128.const i16x8 0x8fff 0x8fff 0x8fff 0x8fff 0x8fff 0x8fff 0x8fff 0x8fff)))
                (v128.store (local.get $dst) (f32x4.mul (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $lo) (local.get $hi))
                  (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
                (v128.store offset=16 (local.get $dst) (f32x4.mul (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $lo) (local.get $hi))
                  (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (br $f))))))

  ;; out[j] = b[j] + Σ_k x[k]·w[j, k] for one row x over a weight stored as panels [N/8][K][8] (8 rows
  ;; of W side by side for each k: what matmulPacked reads, and what a generation's snapshot keeps):
  ;; one sequential stream, for each k a splat of x[k] times two vectors of 8 columns, even and odd k
  ;; into separate accumulators. K a multiple of 2, N of 8.
  (func (export "linearPackedRow") (param $x i32) (param $w i32) (param $b i32) (param $out i32) (param $K i32) (param $N i32)
    (local $j i32) (local $xp i32) (local $end i32) (local $s v128) (local $a0 v128) (local $a1 v128) (local $c0 v128) (local $c1 v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $K) (i32.const 2))))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $j) (local.get $N)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $c0 (v128.const i32x4 0 0 0 0)) (local.set $c1 (v128.const i32x4 0 0 0 0))
        (local.set $xp (local.get $x))
        (block $k_done
          (loop $ks
            (br_if $k_done (i32.ge_u (local.get $xp) (local.get $end)))
            (local.set $s (v128.load32_splat (local.get $xp)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (v128.load (local.get $w)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $w)))))
            (local.set $s (v128.load32_splat offset=4 (local.get $xp)))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $w)))))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $w)))))
            (local.set $w (i32.add (local.get $w) (i32.const 64)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
            (br $ks)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.add (v128.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))) (f32x4.add (local.get $a0) (local.get $c0))))
        (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.add (v128.load offset=16 (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))) (f32x4.add (local.get $a1) (local.get $c1))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $panels))))

  ;; out[j] = b[j] + Σ_k x[k]·w[j, k] for one row x over 16-bit weights w [N, K] (kind as widen16),
  ;; summed in float32: four rows at a time, eight values of k at a time, each row's 16 bytes widened
  ;; in registers (F16 as in widen16; BF16 by a shift) and multiplied into its own accumulator — the
  ;; weights stream from memory at 2 bytes a value. F16 runs widen16's fast form without its scale:
  ;; x is scaled by 2^112 instead (once for the four rows), which leaves every product's real value,
  ;; and so its float32 rounding, unchanged while |x| < 2^16. Four rows are summed again with the slow
  ;; form when they hold an ∞ or a NaN, or when their sums are not finite (an x of 2^16 or more
  ;; overflows to ∞ once scaled, and an ∞ never leaves a sum): the same bits either way. K a multiple
  ;; of 8, N of 4. The four rows are j, j + N/4, j + 2N/4, j + 3N/4, not neighbours, so that each
  ;; of the four streams runs on into the next row: long ascending streams the prefetcher follows
  ;; (neighbours make four short ones it loses at every group: 1.4–1.8× slower from memory).
  (func (export "linearRow16") (param $x i32) (param $w i32) (param $b i32) (param $out i32) (param $K i32) (param $N i32) (param $kind i32)
    (local $j i32) (local $k i32) (local $row i32) (local $Q i32) (local $qBytes i32) (local $q4 i32) (local $h v128) (local $v v128) (local $m v128) (local $f v128) (local $x0 v128) (local $x1 v128)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $cInf v128) (local $cScale v128) (local $cLim v128) (local $cSign v128) (local $cHigh v128) (local $lo v128) (local $hi v128) (local $top v128)
    (local.set $cHigh (v128.const i16x8 0x8fff 0x8fff 0x8fff 0x8fff 0x8fff 0x8fff 0x8fff 0x8fff))
    (local.set $cInf (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
    (local.set $cScale (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)) ;; 2^112
    (local.set $cLim (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))
    (local.set $cSign (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))
    (local.set $row (i32.shl (local.get $K) (i32.const 1)))
    (local.set $Q (i32.shr_u (local.get $N) (i32.const 2)))
    (local.set $qBytes (i32.mul (local.get $Q) (local.get $row)))
    (local.set $q4 (i32.shl (local.get $Q) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $j) (local.get $Q)))
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $row))))
        (local.set $w1 (i32.add (local.get $w0) (local.get $qBytes)))
        (local.set $w2 (i32.add (local.get $w1) (local.get $qBytes)))
        (local.set $w3 (i32.add (local.get $w2) (local.get $qBytes)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (if (local.get $kind)
          (then
        (block $bf16_done
          (loop $bf16_k
            (br_if $bf16_done (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $x0 (v128.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $x1 (v128.load offset=16 (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $h (v128.load (i32.add (local.get $w0) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $h)) (i32.const 16)) (local.get $x0))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $h)) (i32.const 16)) (local.get $x1))))
            (local.set $h (v128.load (i32.add (local.get $w1) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $h)) (i32.const 16)) (local.get $x0))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $h)) (i32.const 16)) (local.get $x1))))
            (local.set $h (v128.load (i32.add (local.get $w2) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $h)) (i32.const 16)) (local.get $x0))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $h)) (i32.const 16)) (local.get $x1))))
            (local.set $h (v128.load (i32.add (local.get $w3) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $h)) (i32.const 16)) (local.get $x0))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $h)) (i32.const 16)) (local.get $x1))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $bf16_k))))
          (else
        (local.set $top (v128.const i32x4 0 0 0 0))
        (block $fast_done
          (loop $fast_k
            (br_if $fast_done (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $x0 (f32x4.mul (v128.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))) (local.get $cScale)))
            (local.set $x1 (f32x4.mul (v128.load offset=16 (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))) (local.get $cScale)))
            (local.set $h (v128.load (i32.add (local.get $w0) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $top (i16x8.max_u (local.get $top) (i16x8.shl (local.get $h) (i32.const 1))))
            (local.set $lo (i16x8.shl (local.get $h) (i32.const 13)))
            (local.set $hi (v128.and (i16x8.shr_s (local.get $h) (i32.const 3)) (local.get $cHigh)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $lo) (local.get $hi)) (local.get $x0))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $lo) (local.get $hi)) (local.get $x1))))
            (local.set $h (v128.load (i32.add (local.get $w1) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $top (i16x8.max_u (local.get $top) (i16x8.shl (local.get $h) (i32.const 1))))
            (local.set $lo (i16x8.shl (local.get $h) (i32.const 13)))
            (local.set $hi (v128.and (i16x8.shr_s (local.get $h) (i32.const 3)) (local.get $cHigh)))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $lo) (local.get $hi)) (local.get $x0))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $lo) (local.get $hi)) (local.get $x1))))
            (local.set $h (v128.load (i32.add (local.get $w2) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $top (i16x8.max_u (local.get $top) (i16x8.shl (local.get $h) (i32.const 1))))
            (local.set $lo (i16x8.shl (local.get $h) (i32.const 13)))
            (local.set $hi (v128.and (i16x8.shr_s (local.get $h) (i32.const 3)) (local.get $cHigh)))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $lo) (local.get $hi)) (local.get $x0))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $lo) (local.get $hi)) (local.get $x1))))
            (local.set $h (v128.load (i32.add (local.get $w3) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $top (i16x8.max_u (local.get $top) (i16x8.shl (local.get $h) (i32.const 1))))
            (local.set $lo (i16x8.shl (local.get $h) (i32.const 13)))
            (local.set $hi (v128.and (i16x8.shr_s (local.get $h) (i32.const 3)) (local.get $cHigh)))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $lo) (local.get $hi)) (local.get $x0))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $lo) (local.get $hi)) (local.get $x1))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $fast_k)))
        (if (i32.or (v128.any_true (i16x8.ge_u (local.get $top) (v128.const i16x8 0xf800 0xf800 0xf800 0xf800 0xf800 0xf800 0xf800 0xf800)))
              (i32.eqz (i32x4.all_true (f32x4.lt (f32x4.abs (call $sum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3))) (local.get $cInf)))))
          (then
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $f16_done
          (loop $f16_k
            (br_if $f16_done (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $x0 (v128.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $x1 (v128.load offset=16 (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $h (v128.load (i32.add (local.get $w0) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $v (i32x4.extend_low_i16x8_s (local.get $h)))
            (local.set $m (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $f (v128.or (v128.bitselect (v128.or (local.get $m) (local.get $cInf)) (f32x4.mul (local.get $m) (local.get $cScale))
              (i32x4.gt_s (local.get $m) (local.get $cLim))) (v128.and (local.get $v) (local.get $cSign))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $f) (local.get $x0))))
            (local.set $v (i32x4.extend_high_i16x8_s (local.get $h)))
            (local.set $m (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $f (v128.or (v128.bitselect (v128.or (local.get $m) (local.get $cInf)) (f32x4.mul (local.get $m) (local.get $cScale))
              (i32x4.gt_s (local.get $m) (local.get $cLim))) (v128.and (local.get $v) (local.get $cSign))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $f) (local.get $x1))))
            (local.set $h (v128.load (i32.add (local.get $w1) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $v (i32x4.extend_low_i16x8_s (local.get $h)))
            (local.set $m (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $f (v128.or (v128.bitselect (v128.or (local.get $m) (local.get $cInf)) (f32x4.mul (local.get $m) (local.get $cScale))
              (i32x4.gt_s (local.get $m) (local.get $cLim))) (v128.and (local.get $v) (local.get $cSign))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $f) (local.get $x0))))
            (local.set $v (i32x4.extend_high_i16x8_s (local.get $h)))
            (local.set $m (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $f (v128.or (v128.bitselect (v128.or (local.get $m) (local.get $cInf)) (f32x4.mul (local.get $m) (local.get $cScale))
              (i32x4.gt_s (local.get $m) (local.get $cLim))) (v128.and (local.get $v) (local.get $cSign))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $f) (local.get $x1))))
            (local.set $h (v128.load (i32.add (local.get $w2) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $v (i32x4.extend_low_i16x8_s (local.get $h)))
            (local.set $m (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $f (v128.or (v128.bitselect (v128.or (local.get $m) (local.get $cInf)) (f32x4.mul (local.get $m) (local.get $cScale))
              (i32x4.gt_s (local.get $m) (local.get $cLim))) (v128.and (local.get $v) (local.get $cSign))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $f) (local.get $x0))))
            (local.set $v (i32x4.extend_high_i16x8_s (local.get $h)))
            (local.set $m (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $f (v128.or (v128.bitselect (v128.or (local.get $m) (local.get $cInf)) (f32x4.mul (local.get $m) (local.get $cScale))
              (i32x4.gt_s (local.get $m) (local.get $cLim))) (v128.and (local.get $v) (local.get $cSign))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $f) (local.get $x1))))
            (local.set $h (v128.load (i32.add (local.get $w3) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $v (i32x4.extend_low_i16x8_s (local.get $h)))
            (local.set $m (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $f (v128.or (v128.bitselect (v128.or (local.get $m) (local.get $cInf)) (f32x4.mul (local.get $m) (local.get $cScale))
              (i32x4.gt_s (local.get $m) (local.get $cLim))) (v128.and (local.get $v) (local.get $cSign))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $f) (local.get $x0))))
            (local.set $v (i32x4.extend_high_i16x8_s (local.get $h)))
            (local.set $m (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $f (v128.or (v128.bitselect (v128.or (local.get $m) (local.get $cInf)) (f32x4.mul (local.get $m) (local.get $cScale))
              (i32x4.gt_s (local.get $m) (local.get $cLim))) (v128.and (local.get $v) (local.get $cSign))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $f) (local.get $x1))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $f16_k)))))))
        ;; rows j, j + Q, j + 2Q, j + 3Q
        (local.set $h (call $sum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)))
        (local.set $k (i32.shl (local.get $j) (i32.const 2)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 0 (local.get $h)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $q4)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 1 (local.get $h)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $q4)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 2 (local.get $h)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $q4)))
        (f32.store (i32.add (local.get $out) (local.get $k)) (f32.add (f32x4.extract_lane 3 (local.get $h)) (f32.load (i32.add (local.get $b) (local.get $k)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows))))

  ;; c[M, N] += a·b over packed operands: the products of the linear backward pass (dy·W and dyᵀ·x),
  ;; packed by the caller so that the inner loop reads both sequentially: a as [M/4][K][4] (the four
  ;; rows of a strip side by side for each k), b as [N/8][K][8] (panels of 8 columns). M a multiple
  ;; of 4, N of 8 (zero padding). Tiles of 4 rows × 8 columns: for each k, four splat loads of a and
  ;; two vector loads of b feed 8 multiply-adds into 8 accumulators, over all of k (splitting k into
  ;; cache-sized panels measured slower at every shape tried: the 4×8 tile of c would be reloaded).
  (func (export "matmulPacked") (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32)
    (local $m i32) (local $n i32) (local $k i32) (local $nBytes i32)
    (local $ap i32) (local $bp i32) (local $cp i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $nBytes (i32.shl (local.get $N) (i32.const 2)))
        (local.set $n (i32.const 0))
        (block $n_done
          (loop $cols
            (br_if $n_done (i32.ge_u (local.get $n) (local.get $N)))
            (local.set $m (i32.const 0))
            (block $m_done
              (loop $rows
                (br_if $m_done (i32.ge_u (local.get $m) (local.get $M)))
                (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
                (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
                (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
                (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
                ;; a strip m/4: a + m/4·K·16; b panel n/8: b + n/8·K·32
                (local.set $ap (i32.add (local.get $a) (i32.shl (i32.mul (i32.shr_u (local.get $m) (i32.const 2)) (local.get $K)) (i32.const 4))))
                (local.set $bp (i32.add (local.get $b) (i32.shl (i32.mul (i32.shr_u (local.get $n) (i32.const 3)) (local.get $K)) (i32.const 5))))
                (local.set $k (local.get $K))
                (block $k_done
                  (loop $inner
                    (br_if $k_done (i32.eqz (local.get $k)))
                    (local.set $b0 (v128.load (local.get $bp)))
                    (local.set $b1 (v128.load offset=16 (local.get $bp)))
                    (local.set $x (v128.load32_splat (local.get $ap)))
                    (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
                    (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
                    (local.set $x (v128.load32_splat offset=4 (local.get $ap)))
                    (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
                    (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
                    (local.set $x (v128.load32_splat offset=8 (local.get $ap)))
                    (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
                    (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
                    (local.set $x (v128.load32_splat offset=12 (local.get $ap)))
                    (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
                    (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
                    (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
                    (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
                    (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                    (br $inner)))
                (local.set $cp (i32.add (local.get $c) (i32.add (i32.mul (local.get $m) (local.get $nBytes)) (i32.shl (local.get $n) (i32.const 2)))))
                (v128.store (local.get $cp) (f32x4.add (v128.load (local.get $cp)) (local.get $c00)))
                (v128.store offset=16 (local.get $cp) (f32x4.add (v128.load offset=16 (local.get $cp)) (local.get $c01)))
                (local.set $cp (i32.add (local.get $cp) (local.get $nBytes)))
                (v128.store (local.get $cp) (f32x4.add (v128.load (local.get $cp)) (local.get $c10)))
                (v128.store offset=16 (local.get $cp) (f32x4.add (v128.load offset=16 (local.get $cp)) (local.get $c11)))
                (local.set $cp (i32.add (local.get $cp) (local.get $nBytes)))
                (v128.store (local.get $cp) (f32x4.add (v128.load (local.get $cp)) (local.get $c20)))
                (v128.store offset=16 (local.get $cp) (f32x4.add (v128.load offset=16 (local.get $cp)) (local.get $c21)))
                (local.set $cp (i32.add (local.get $cp) (local.get $nBytes)))
                (v128.store (local.get $cp) (f32x4.add (v128.load (local.get $cp)) (local.get $c30)))
                (v128.store offset=16 (local.get $cp) (f32x4.add (v128.load offset=16 (local.get $cp)) (local.get $c31)))
                (local.set $m (i32.add (local.get $m) (i32.const 4)))
                (br $rows)))
            (local.set $n (i32.add (local.get $n) (i32.const 8)))
            (br $cols))))

  ;; columnSums: dst [cols] = Σ_m src [M, cols] (rows N floats apart; cols a multiple of 4), in float32,
  ;; row after row: the bias gradient Σ dy (split by columns, each sum in the same order)
  (func (export "columnSums") (param $src i32) (param $dst i32) (param $M i32) (param $cols i32) (param $N i32)
    (local $m i32) (local $n i32) (local $row i32) (local $rowBytes i32) (local $colBytes i32)
    (local.set $rowBytes (i32.shl (local.get $N) (i32.const 2)))
    (local.set $colBytes (i32.shl (local.get $cols) (i32.const 2)))
    (memory.fill (local.get $dst) (i32.const 0) (local.get $colBytes))
    (local.set $row (local.get $src))
    (local.set $m (local.get $M))
    (block $m_done
      (loop $rows
        (br_if $m_done (i32.eqz (local.get $m)))
        (local.set $n (i32.const 0))
        (block $n_done
          (loop $cols
            (br_if $n_done (i32.ge_u (local.get $n) (local.get $colBytes)))
            (v128.store (i32.add (local.get $dst) (local.get $n))
              (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $n))) (v128.load (i32.add (local.get $row) (local.get $n)))))
            (local.set $n (i32.add (local.get $n) (i32.const 16)))
            (br $cols)))
        (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
        (local.set $m (i32.sub (local.get $m) (i32.const 1)))
        (br $rows))))

  ;; the packings matmulPacked reads (all counts in floats, all multiples of 4 or 8 as stated; src row-major):
  ;; packPanels: the first `cols` columns (a multiple of 8) of src [K, N] → dst [cols/8][K][8], panels of
  ;; 8 columns (split by panels: a slice starts `lo` columns into src and lo·K floats into dst)
  (func (export "packPanels") (param $src i32) (param $dst i32) (param $K i32) (param $cols i32) (param $N i32)
    (local $n i32) (local $k i32) (local $s i32) (local $d i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $N) (i32.const 2)))
    (local.set $d (local.get $dst))
    (local.set $n (i32.const 0))
    (block $n_done
      (loop $panels
        (br_if $n_done (i32.ge_u (local.get $n) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $s (i32.add (local.get $src) (local.get $n)))
        (local.set $k (local.get $K))
        (block $k_done
          (loop $rows
            (br_if $k_done (i32.eqz (local.get $k)))
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (local.set $s (i32.add (local.get $s) (local.get $rowBytes)))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br $rows)))
        (local.set $n (i32.add (local.get $n) (i32.const 32)))
        (br $panels))))

  ;; packColumns: the first `cols` columns (a multiple of 4) of src [K, N] → dst [cols/4][K][4]: strips of
  ;; 4 columns (what dyᵀ·x reads of dy; split as packPanels)
  (func (export "packColumns") (param $src i32) (param $dst i32) (param $K i32) (param $cols i32) (param $N i32)
    (local $n i32) (local $k i32) (local $s i32) (local $d i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $N) (i32.const 2)))
    (local.set $d (local.get $dst))
    (local.set $n (i32.const 0))
    (block $n_done
      (loop $strips
        (br_if $n_done (i32.ge_u (local.get $n) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $s (i32.add (local.get $src) (local.get $n)))
        (local.set $k (local.get $K))
        (block $k_done
          (loop $rows
            (br_if $k_done (i32.eqz (local.get $k)))
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $s (i32.add (local.get $s) (local.get $rowBytes)))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br $rows)))
        (local.set $n (i32.add (local.get $n) (i32.const 16)))
        (br $strips))))

  ;; packRows: src [M, K] (M and K multiples of 4) → rows side by side in groups of `group` (4 or 8):
  ;; dst [M/group][K][group], by 4×4 transposes. Group 4 is what dy·W reads of dy, and x·Wᵀ of x;
  ;; group 8 is W as the panels of Wᵀ that x·Wᵀ reads.
  (func (export "packRows") (param $src i32) (param $dst i32) (param $M i32) (param $K i32) (param $group i32)
    (local $m i32) (local $k i32) (local $r0 i32) (local $d i32) (local $rowBytes i32) (local $stride i32)
    (local $a v128) (local $b v128) (local $c v128) (local $e v128) (local $ab v128) (local $cd v128) (local $ab2 v128) (local $cd2 v128)
    (local.set $rowBytes (i32.shl (local.get $K) (i32.const 2)))
    (local.set $stride (i32.shl (local.get $group) (i32.const 2)))
    (local.set $m (i32.const 0))
    (block $m_done
      (loop $strips
        (br_if $m_done (i32.ge_u (local.get $m) (local.get $M)))
        (local.set $r0 (i32.add (local.get $src) (i32.mul (local.get $m) (local.get $rowBytes))))
        ;; this strip's 4 rows go to group m/group, at column m % group, for every k
        (local.set $d (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (i32.sub (local.get $m) (i32.rem_u (local.get $m) (local.get $group))) (local.get $K)) (i32.rem_u (local.get $m) (local.get $group))) (i32.const 2))))
        (local.set $k (i32.const 0))
        (block $k_done
          (loop $cols
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $rowBytes)))
            (local.set $a (v128.load (i32.add (local.get $r0) (local.get $k))))
            (local.set $b (v128.load (i32.add (i32.add (local.get $r0) (local.get $rowBytes)) (local.get $k))))
            (local.set $c (v128.load (i32.add (i32.add (local.get $r0) (i32.shl (local.get $rowBytes) (i32.const 1))) (local.get $k))))
            (local.set $e (v128.load (i32.add (i32.add (local.get $r0) (i32.mul (local.get $rowBytes) (i32.const 3))) (local.get $k))))
            ;; [a0 b0 a1 b1], [c0 e0 c1 e1], [a2 b2 a3 b3], [c2 e2 c3 e3]
            (local.set $ab (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
            (local.set $cd (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $e)))
            (local.set $ab2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $cd2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $e)))
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab) (local.get $cd)))
            (local.set $d (i32.add (local.get $d) (local.get $stride)))
            (v128.store (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab) (local.get $cd)))
            (local.set $d (i32.add (local.get $d) (local.get $stride)))
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ab2) (local.get $cd2)))
            (local.set $d (i32.add (local.get $d) (local.get $stride)))
            (v128.store (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ab2) (local.get $cd2)))
            (local.set $d (i32.add (local.get $d) (local.get $stride)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $cols)))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (br $strips))))

  ;; softmax over rows of n floats (n a multiple of 4): out = exp((x − max)·invT) / Σ. A row whose
  ;; maximum is −∞ (fully masked) gives zeros; NaN anywhere in a row gives NaN for the row (noted
  ;; while the maximum is found, then carried by the exp into the sum). Computed in float32.
  (func $exp8 (param $y v128) (param $z v128) (result v128 v128)
    ;; e^y and e^z for y, z ≤ 0, each as follows, the two interleaved (independent chains overlap, and
    ;; one call serves two vectors): y = k·ln2 + r, |r| ≤ ln2/2; e^r by its Taylor polynomial to
    ;; degree 6 (remainder < 1.3e-7 relative); 2^k built in the exponent bits. k is rounded by adding
    ;; 1.5·2²³ (which leaves k in the low mantissa bits, so 2^k's bits are (those + 127) << 23).
    ;; y < −87.3 (and −∞) → 0; NaN → NaN.
    (local $kf v128) (local $k v128) (local $r v128) (local $p v128)
    (local $kg v128) (local $l v128) (local $q v128) (local $o v128)
    (local.set $kf (f32x4.add (f32x4.mul (local.get $y) (v128.const f32x4 1.442695 1.442695 1.442695 1.442695)) (v128.const f32x4 12582912 12582912 12582912 12582912)))
    (local.set $kg (f32x4.add (f32x4.mul (local.get $z) (v128.const f32x4 1.442695 1.442695 1.442695 1.442695)) (v128.const f32x4 12582912 12582912 12582912 12582912)))
    (local.set $k (f32x4.sub (local.get $kf) (v128.const f32x4 12582912 12582912 12582912 12582912)))
    (local.set $l (f32x4.sub (local.get $kg) (v128.const f32x4 12582912 12582912 12582912 12582912)))
    (local.set $r (f32x4.sub (f32x4.sub (local.get $y) (f32x4.mul (local.get $k) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125))) (f32x4.mul (local.get $k) (v128.const f32x4 1.4286068e-06 1.4286068e-06 1.4286068e-06 1.4286068e-06))))
    (local.set $q (f32x4.sub (f32x4.sub (local.get $z) (f32x4.mul (local.get $l) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125))) (f32x4.mul (local.get $l) (v128.const f32x4 1.4286068e-06 1.4286068e-06 1.4286068e-06 1.4286068e-06))))
    (local.set $p (f32x4.add (v128.const f32x4 0.0013888889 0.0013888889 0.0013888889 0.0013888889) (f32x4.mul (local.get $r) (v128.const f32x4 0.00019841270 0.00019841270 0.00019841270 0.00019841270))))
    (local.set $o (f32x4.add (v128.const f32x4 0.0013888889 0.0013888889 0.0013888889 0.0013888889) (f32x4.mul (local.get $q) (v128.const f32x4 0.00019841270 0.00019841270 0.00019841270 0.00019841270))))
    (local.set $p (f32x4.add (v128.const f32x4 0.008333333 0.008333333 0.008333333 0.008333333) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $o (f32x4.add (v128.const f32x4 0.008333333 0.008333333 0.008333333 0.008333333) (f32x4.mul (local.get $q) (local.get $o))))
    (local.set $p (f32x4.add (v128.const f32x4 0.041666668 0.041666668 0.041666668 0.041666668) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $o (f32x4.add (v128.const f32x4 0.041666668 0.041666668 0.041666668 0.041666668) (f32x4.mul (local.get $q) (local.get $o))))
    (local.set $p (f32x4.add (v128.const f32x4 0.16666667 0.16666667 0.16666667 0.16666667) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $o (f32x4.add (v128.const f32x4 0.16666667 0.16666667 0.16666667 0.16666667) (f32x4.mul (local.get $q) (local.get $o))))
    (local.set $p (f32x4.add (v128.const f32x4 0.5 0.5 0.5 0.5) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $o (f32x4.add (v128.const f32x4 0.5 0.5 0.5 0.5) (f32x4.mul (local.get $q) (local.get $o))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $o (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $q) (local.get $o))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $o (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $q) (local.get $o))))
    (local.set $p (v128.bitselect (v128.const i32x4 0 0 0 0) (f32x4.mul (local.get $p) (i32x4.shl (i32x4.add (local.get $kf) (v128.const i32x4 127 127 127 127)) (i32.const 23))) (f32x4.lt (local.get $y) (v128.const f32x4 -87.3 -87.3 -87.3 -87.3))))
    (local.set $o (v128.bitselect (v128.const i32x4 0 0 0 0) (f32x4.mul (local.get $o) (i32x4.shl (i32x4.add (local.get $kg) (v128.const i32x4 127 127 127 127)) (i32.const 23))) (f32x4.lt (local.get $z) (v128.const f32x4 -87.3 -87.3 -87.3 -87.3))))
    (local.get $p) (local.get $o))

  (func (export "softmax") (param $x i32) (param $out i32) (param $rows i32) (param $n i32) (param $invT f32)
    (local $r i32) (local $j i32) (local $row i32) (local $xr i32) (local $or i32)
    (local $mx v128) (local $mx2 v128) (local $nan v128) (local $v v128) (local $v2 v128)
    (local $acc v128) (local $acc2 v128) (local $e v128) (local $e2 v128) (local $t v128) (local $m f32) (local $inv v128)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $done
      (loop $rows_loop
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $xr (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $row))))
        (local.set $or (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $row))))
        ;; the row maximum, in two accumulators (f32x4.pmax is one instruction; f32x4.max, which
        ;; propagates NaN, is many and serialises the loop), with NaNs noted on the side
        (local.set $mx (v128.const f32x4 -inf -inf -inf -inf))
        (local.set $mx2 (local.get $mx))
        (local.set $nan (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $max_done
          (loop $max_loop
            (br_if $max_done (i32.gt_u (i32.add (local.get $j) (i32.const 32)) (local.get $row)))
            (local.set $v (v128.load (i32.add (local.get $xr) (local.get $j))))
            (local.set $v2 (v128.load offset=16 (i32.add (local.get $xr) (local.get $j))))
            (local.set $mx (f32x4.pmax (local.get $mx) (local.get $v)))
            (local.set $mx2 (f32x4.pmax (local.get $mx2) (local.get $v2)))
            (local.set $nan (v128.or (local.get $nan) (v128.or (f32x4.ne (local.get $v) (local.get $v)) (f32x4.ne (local.get $v2) (local.get $v2)))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $max_loop)))
        (if (i32.lt_u (local.get $j) (local.get $row))
          (then
            (local.set $v (v128.load (i32.add (local.get $xr) (local.get $j))))
            (local.set $mx (f32x4.pmax (local.get $mx) (local.get $v)))
            (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $v) (local.get $v))))))
        (local.set $mx (f32x4.pmax (local.get $mx) (local.get $mx2)))
        (local.set $m (f32.max (f32.max (f32x4.extract_lane 0 (local.get $mx)) (f32x4.extract_lane 1 (local.get $mx)))
                               (f32.max (f32x4.extract_lane 2 (local.get $mx)) (f32x4.extract_lane 3 (local.get $mx)))))
        (if (v128.any_true (local.get $nan)) (then (local.set $m (f32.const nan))))
        (if (f32.eq (local.get $m) (f32.const -inf))
          (then (memory.fill (local.get $or) (i32.const 0) (local.get $row)))
          (else
            ;; e = exp((x − max)·invT), stored, and summed
            (local.set $mx (f32x4.splat (local.get $m)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (local.set $acc2 (v128.const i32x4 0 0 0 0))
            (local.set $t (f32x4.splat (local.get $invT)))
            (block $exp_done
              (loop $exp_loop
                (br_if $exp_done (i32.gt_u (i32.add (local.get $j) (i32.const 32)) (local.get $row)))
                (call $exp8
                  (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $xr) (local.get $j))) (local.get $mx)) (local.get $t))
                  (f32x4.mul (f32x4.sub (v128.load offset=16 (i32.add (local.get $xr) (local.get $j))) (local.get $mx)) (local.get $t)))
                (local.set $e2)
                (local.set $e)
                (v128.store (i32.add (local.get $or) (local.get $j)) (local.get $e))
                (v128.store offset=16 (i32.add (local.get $or) (local.get $j)) (local.get $e2))
                (local.set $acc (f32x4.add (local.get $acc) (local.get $e)))
                (local.set $acc2 (f32x4.add (local.get $acc2) (local.get $e2)))
                (local.set $j (i32.add (local.get $j) (i32.const 32)))
                (br $exp_loop)))
            (if (i32.lt_u (local.get $j) (local.get $row)) ;; an odd last vector
              (then
                (local.set $e (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $xr) (local.get $j))) (local.get $mx)) (local.get $t)))
                (call $exp8 (local.get $e) (local.get $e))
                (drop)
                (local.set $e)
                (v128.store (i32.add (local.get $or) (local.get $j)) (local.get $e))
                (local.set $acc (f32x4.add (local.get $acc) (local.get $e)))))
            (local.set $inv (f32x4.splat (f32.div (f32.const 1) (call $hsum (f32x4.add (local.get $acc) (local.get $acc2))))))
            (local.set $j (i32.const 0))
            (block $scale_done
              (loop $scale_loop
                (br_if $scale_done (i32.ge_u (local.get $j) (local.get $row)))
                (v128.store (i32.add (local.get $or) (local.get $j))
                  (f32x4.mul (v128.load (i32.add (local.get $or) (local.get $j))) (local.get $inv)))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $scale_loop)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; attention for one query row t of one head, no mask other than causal: out[t] = Σ_s softmax_s(scale·q_t·k_s)·v_s
  ;; over the keys s < limit(t) = min(S, t + S − T + 1) (causal, aligned to the end) or S. q [T, D],
  ;; k [S, D], v [S, Dv], out [T, Dv], sc a scratch row of S + 4 floats. D and Dv multiples of 4.
  ;; Scores four keys at a time (one q vector load feeds four products); the exp over the score row
  ;; in vectors; the weighted sum of values in chunks of 16 output floats held in four accumulators.
  (func $attnRow
    (param $q i32) (param $k i32) (param $v i32) (param $out i32) (param $sc i32)
    (param $T i32) (param $S i32) (param $D i32) (param $Dv i32) (param $scale f32) (param $causal i32) (param $t i32)
    (param $window i32) (param $slope f32)
    (local $limit i32) (local $s i32) (local $d i32) (local $qrow i32) (local $orow i32)
    (local $k0 i32) (local $k1 i32) (local $k2 i32) (local $k3 i32) (local $dBytes i32) (local $vBytes i32)
    (local $qv v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $inv f32) (local $kv v128)
    (local $c i32) (local $vp i32) (local $p v128) (local $end i32)
    (local.set $dBytes (i32.shl (local.get $D) (i32.const 2)))
    (local.set $vBytes (i32.shl (local.get $Dv) (i32.const 2)))
        (local.set $limit (local.get $S))
        (if (local.get $causal) (then
          (local.set $limit (i32.add (local.get $t) (i32.sub (local.get $S) (i32.sub (local.get $T) (i32.const 1)))))
          (if (i32.gt_s (local.get $limit) (local.get $S)) (then (local.set $limit (local.get $S))))))
        (local.set $orow (i32.add (local.get $out) (i32.mul (local.get $t) (local.get $vBytes))))
        (if (i32.le_s (local.get $limit) (i32.const 0))
          (then (memory.fill (local.get $orow) (i32.const 0) (local.get $vBytes)))
          (else
            (local.set $qrow (i32.add (local.get $q) (i32.mul (local.get $t) (local.get $dBytes))))
            ;; scores, four keys at a time
            (local.set $s (i32.const 0))
            (block $s4_done
              (loop $s4
                (br_if $s4_done (i32.gt_s (i32.add (local.get $s) (i32.const 4)) (local.get $limit)))
                (local.set $k0 (i32.add (local.get $k) (i32.mul (local.get $s) (local.get $dBytes))))
                (local.set $k1 (i32.add (local.get $k0) (local.get $dBytes)))
                (local.set $k2 (i32.add (local.get $k1) (local.get $dBytes)))
                (local.set $k3 (i32.add (local.get $k2) (local.get $dBytes)))
                (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
                (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
                (local.set $d (i32.const 0))
                (block $d_done
                  (loop $dl
                    (br_if $d_done (i32.ge_u (local.get $d) (local.get $dBytes)))
                    (local.set $qv (v128.load (i32.add (local.get $qrow) (local.get $d))))
                    (local.set $kv (v128.load (i32.add (local.get $k0) (local.get $d))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $qv) (local.get $kv))))
                    (local.set $kv (v128.load (i32.add (local.get $k1) (local.get $d))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $qv) (local.get $kv))))
                    (local.set $kv (v128.load (i32.add (local.get $k2) (local.get $d))))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $qv) (local.get $kv))))
                    (local.set $kv (v128.load (i32.add (local.get $k3) (local.get $d))))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $qv) (local.get $kv))))
                    (local.set $d (i32.add (local.get $d) (i32.const 16)))
                    (br $dl)))
                (v128.store (i32.add (local.get $sc) (i32.shl (local.get $s) (i32.const 2)))
                  (f32x4.mul (call $sum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)) (f32x4.splat (local.get $scale))))
                (local.set $s (i32.add (local.get $s) (i32.const 4)))
                (br $s4)))
            ;; the last keys one at a time
            (block $s1_done
              (loop $s1
                (br_if $s1_done (i32.ge_s (local.get $s) (local.get $limit)))
                (local.set $k0 (i32.add (local.get $k) (i32.mul (local.get $s) (local.get $dBytes))))
                (local.set $a0 (v128.const i32x4 0 0 0 0))
                (local.set $d (i32.const 0))
                (block $d1_done
                  (loop $d1
                    (br_if $d1_done (i32.ge_u (local.get $d) (local.get $dBytes)))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
                      (v128.load (i32.add (local.get $qrow) (local.get $d))) (v128.load (i32.add (local.get $k0) (local.get $d))))))
                    (local.set $d (i32.add (local.get $d) (i32.const 16)))
                    (br $d1)))
                (f32.store (i32.add (local.get $sc) (i32.shl (local.get $s) (i32.const 2))) (f32.mul (call $hsum (local.get $a0)) (local.get $scale)))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $s1)))
            (call $biasRow (local.get $sc) (local.get $limit) (i32.add (local.get $t) (i32.sub (local.get $S) (local.get $T))) (local.get $window) (local.get $slope))
            ;; pad the row to whole vectors with −∞ (weight 0), then the weights
            (local.set $end (i32.and (i32.add (local.get $limit) (i32.const 3)) (i32.const -4)))
            (call $fillNegInf (local.get $sc) (local.get $limit) (local.get $end))
            (local.set $inv (call $expRow (local.get $sc) (local.get $end)))
            ;; out row = Σ_s e_s·v_s · inv, in chunks of 16 floats, then of 4
            (local.set $c (i32.const 0))
            (block $c16_done
              (loop $c16
                (br_if $c16_done (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $vBytes)))
                (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
                (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
                (local.set $s (i32.const 0))
                (local.set $vp (i32.add (local.get $v) (local.get $c)))
                (block $pv_done
                  (loop $pv
                    (br_if $pv_done (i32.ge_s (local.get $s) (local.get $limit)))
                    (local.set $p (v128.load32_splat (i32.add (local.get $sc) (i32.shl (local.get $s) (i32.const 2)))))
                    (local.set $kv (v128.load offset=0 (local.get $vp)))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $p) (local.get $kv))))
                    (local.set $kv (v128.load offset=16 (local.get $vp)))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $p) (local.get $kv))))
                    (local.set $kv (v128.load offset=32 (local.get $vp)))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $p) (local.get $kv))))
                    (local.set $kv (v128.load offset=48 (local.get $vp)))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $p) (local.get $kv))))
                    (local.set $vp (i32.add (local.get $vp) (local.get $vBytes)))
                    (local.set $s (i32.add (local.get $s) (i32.const 1)))
                    (br $pv)))
                (local.set $p (f32x4.splat (local.get $inv)))
                (v128.store offset=0 (i32.add (local.get $orow) (local.get $c)) (f32x4.mul (local.get $a0) (local.get $p)))
                (v128.store offset=16 (i32.add (local.get $orow) (local.get $c)) (f32x4.mul (local.get $a1) (local.get $p)))
                (v128.store offset=32 (i32.add (local.get $orow) (local.get $c)) (f32x4.mul (local.get $a2) (local.get $p)))
                (v128.store offset=48 (i32.add (local.get $orow) (local.get $c)) (f32x4.mul (local.get $a3) (local.get $p)))
                (local.set $c (i32.add (local.get $c) (i32.const 64)))
                (br $c16)))
            (block $c4_done
              (loop $c4
                (br_if $c4_done (i32.ge_u (local.get $c) (local.get $vBytes)))
                (local.set $a0 (v128.const i32x4 0 0 0 0))
                (local.set $s (i32.const 0))
                (local.set $vp (i32.add (local.get $v) (local.get $c)))
                (block $pv4_done
                  (loop $pv4
                    (br_if $pv4_done (i32.ge_s (local.get $s) (local.get $limit)))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
                      (v128.load32_splat (i32.add (local.get $sc) (i32.shl (local.get $s) (i32.const 2)))) (v128.load (local.get $vp)))))
                    (local.set $vp (i32.add (local.get $vp) (local.get $vBytes)))
                    (local.set $s (i32.add (local.get $s) (i32.const 1)))
                    (br $pv4)))
                (v128.store (i32.add (local.get $orow) (local.get $c)) (f32x4.mul (local.get $a0) (f32x4.splat (local.get $inv))))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $c4)))))
)


  ;; attention for query rows t and t + 1 of one head together (as $attnRow, which it equals): each key
  ;; and value vector loaded once feeds both rows. Needs limit(t) ≥ 1; limit(t + 1) is limit(t) or one
  ;; more (causal). sc holds two score rows of S + 4 floats each. Row t's scores past its limit are
  ;; computed with row t + 1's and then set to −∞ (weight 0); the weighted sum of values skips them.
  (func $attnPair
    (param $q i32) (param $k i32) (param $v i32) (param $out i32) (param $sc i32)
    (param $S i32) (param $D i32) (param $Dv i32) (param $scale f32)
    (param $t i32) (param $limit0 i32) (param $limit1 i32) (param $pos0 i32) (param $window i32) (param $slope f32)
    (local $s i32) (local $d i32) (local $q0 i32) (local $q1 i32) (local $o0 i32) (local $o1 i32) (local $sc1 i32)
    (local $k0 i32) (local $k1 i32) (local $k2 i32) (local $k3 i32) (local $dBytes i32) (local $vBytes i32)
    (local $u v128) (local $w v128) (local $kv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $end i32) (local $inv0 f32) (local $inv1 f32) (local $c i32) (local $vp i32) (local $at i32)
    (local.set $dBytes (i32.shl (local.get $D) (i32.const 2)))
    (local.set $vBytes (i32.shl (local.get $Dv) (i32.const 2)))
    (local.set $q0 (i32.add (local.get $q) (i32.mul (local.get $t) (local.get $dBytes))))
    (local.set $q1 (i32.add (local.get $q0) (local.get $dBytes)))
    (local.set $o0 (i32.add (local.get $out) (i32.mul (local.get $t) (local.get $vBytes))))
    (local.set $o1 (i32.add (local.get $o0) (local.get $vBytes)))
    (local.set $sc1 (i32.add (local.get $sc) (i32.shl (i32.add (local.get $S) (i32.const 4)) (i32.const 2))))
    ;; scores of both rows, four keys at a time: 2 q loads and 4 k loads feed 8 products
    (local.set $s (i32.const 0))
    (block $s4_done
      (loop $s4
        (br_if $s4_done (i32.gt_s (i32.add (local.get $s) (i32.const 4)) (local.get $limit1)))
        (local.set $k0 (i32.add (local.get $k) (i32.mul (local.get $s) (local.get $dBytes))))
        (local.set $k1 (i32.add (local.get $k0) (local.get $dBytes)))
        (local.set $k2 (i32.add (local.get $k1) (local.get $dBytes)))
        (local.set $k3 (i32.add (local.get $k2) (local.get $dBytes)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $c0 (v128.const i32x4 0 0 0 0)) (local.set $c1 (v128.const i32x4 0 0 0 0))
        (local.set $c2 (v128.const i32x4 0 0 0 0)) (local.set $c3 (v128.const i32x4 0 0 0 0))
        (local.set $d (i32.const 0))
        (block $d_done
          (loop $dl
            (br_if $d_done (i32.ge_u (local.get $d) (local.get $dBytes)))
            (local.set $u (v128.load (i32.add (local.get $q0) (local.get $d))))
            (local.set $w (v128.load (i32.add (local.get $q1) (local.get $d))))
            (local.set $kv (v128.load (i32.add (local.get $k0) (local.get $d))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $u) (local.get $kv))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $kv (v128.load (i32.add (local.get $k1) (local.get $d))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $u) (local.get $kv))))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $kv (v128.load (i32.add (local.get $k2) (local.get $d))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $u) (local.get $kv))))
            (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $kv (v128.load (i32.add (local.get $k3) (local.get $d))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $u) (local.get $kv))))
            (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $dl)))
        (local.set $at (i32.shl (local.get $s) (i32.const 2)))
        (v128.store (i32.add (local.get $sc) (local.get $at))
          (f32x4.mul (call $sum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)) (f32x4.splat (local.get $scale))))
        (v128.store (i32.add (local.get $sc1) (local.get $at))
          (f32x4.mul (call $sum4 (local.get $c0) (local.get $c1) (local.get $c2) (local.get $c3)) (f32x4.splat (local.get $scale))))
        (local.set $s (i32.add (local.get $s) (i32.const 4)))
        (br $s4)))
    ;; the last keys one at a time
    (block $s1_done
      (loop $s1
        (br_if $s1_done (i32.ge_s (local.get $s) (local.get $limit1)))
        (local.set $k0 (i32.add (local.get $k) (i32.mul (local.get $s) (local.get $dBytes))))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $c0 (v128.const i32x4 0 0 0 0))
        (local.set $d (i32.const 0))
        (block $d1_done
          (loop $d1
            (br_if $d1_done (i32.ge_u (local.get $d) (local.get $dBytes)))
            (local.set $kv (v128.load (i32.add (local.get $k0) (local.get $d))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $q0) (local.get $d))) (local.get $kv))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load (i32.add (local.get $q1) (local.get $d))) (local.get $kv))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $d1)))
        (local.set $at (i32.shl (local.get $s) (i32.const 2)))
        (f32.store (i32.add (local.get $sc) (local.get $at)) (f32.mul (call $hsum (local.get $a0)) (local.get $scale)))
        (f32.store (i32.add (local.get $sc1) (local.get $at)) (f32.mul (call $hsum (local.get $c0)) (local.get $scale)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $s1)))
    (call $biasRow (local.get $sc) (local.get $limit0) (local.get $pos0) (local.get $window) (local.get $slope))
    (call $biasRow (local.get $sc1) (local.get $limit1) (i32.add (local.get $pos0) (i32.const 1)) (local.get $window) (local.get $slope))
    ;; −∞ past each row's limit, to whole vectors; then each row's weights
    (local.set $end (i32.and (i32.add (local.get $limit1) (i32.const 3)) (i32.const -4)))
    (call $fillNegInf (local.get $sc) (local.get $limit0) (local.get $end))
    (call $fillNegInf (local.get $sc1) (local.get $limit1) (local.get $end))
    (local.set $inv0 (call $expRow (local.get $sc) (local.get $end)))
    (local.set $inv1 (call $expRow (local.get $sc1) (local.get $end)))
    ;; both output rows = Σ_s e_s·v_s · inv, in chunks of 16 floats (each value vector feeds both rows), then of 4
    (local.set $c (i32.const 0))
    (block $c16_done
      (loop $c16
        (br_if $c16_done (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $vBytes)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $c0 (v128.const i32x4 0 0 0 0)) (local.set $c1 (v128.const i32x4 0 0 0 0))
        (local.set $c2 (v128.const i32x4 0 0 0 0)) (local.set $c3 (v128.const i32x4 0 0 0 0))
        (local.set $vp (i32.add (local.get $v) (local.get $c)))
        (local.set $at (i32.const 0))
        (local.set $end (i32.shl (local.get $limit0) (i32.const 2)))
        (block $pv_done
          (loop $pv
            (br_if $pv_done (i32.ge_u (local.get $at) (local.get $end)))
            (local.set $u (v128.load32_splat (i32.add (local.get $sc) (local.get $at))))
            (local.set $w (v128.load32_splat (i32.add (local.get $sc1) (local.get $at))))
            (local.set $kv (v128.load offset=0 (local.get $vp)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $u) (local.get $kv))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $kv (v128.load offset=16 (local.get $vp)))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $u) (local.get $kv))))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $kv (v128.load offset=32 (local.get $vp)))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $u) (local.get $kv))))
            (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $kv (v128.load offset=48 (local.get $vp)))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $u) (local.get $kv))))
            (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $vp (i32.add (local.get $vp) (local.get $vBytes)))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (br $pv)))
        ;; keys only the second row sees (causal): skipped by the first, never multiplied by weight 0
        (local.set $end (i32.shl (local.get $limit1) (i32.const 2)))
        (block $pv1_done
          (loop $pv1
            (br_if $pv1_done (i32.ge_u (local.get $at) (local.get $end)))
            (local.set $w (v128.load32_splat (i32.add (local.get $sc1) (local.get $at))))
            (local.set $kv (v128.load offset=0 (local.get $vp)))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $kv (v128.load offset=16 (local.get $vp)))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $kv (v128.load offset=32 (local.get $vp)))
            (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $kv (v128.load offset=48 (local.get $vp)))
            (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $w) (local.get $kv))))
            (local.set $vp (i32.add (local.get $vp) (local.get $vBytes)))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (br $pv1)))
        (local.set $u (f32x4.splat (local.get $inv0)))
        (local.set $w (f32x4.splat (local.get $inv1)))
        (v128.store offset=0 (i32.add (local.get $o0) (local.get $c)) (f32x4.mul (local.get $a0) (local.get $u)))
        (v128.store offset=16 (i32.add (local.get $o0) (local.get $c)) (f32x4.mul (local.get $a1) (local.get $u)))
        (v128.store offset=32 (i32.add (local.get $o0) (local.get $c)) (f32x4.mul (local.get $a2) (local.get $u)))
        (v128.store offset=48 (i32.add (local.get $o0) (local.get $c)) (f32x4.mul (local.get $a3) (local.get $u)))
        (v128.store offset=0 (i32.add (local.get $o1) (local.get $c)) (f32x4.mul (local.get $c0) (local.get $w)))
        (v128.store offset=16 (i32.add (local.get $o1) (local.get $c)) (f32x4.mul (local.get $c1) (local.get $w)))
        (v128.store offset=32 (i32.add (local.get $o1) (local.get $c)) (f32x4.mul (local.get $c2) (local.get $w)))
        (v128.store offset=48 (i32.add (local.get $o1) (local.get $c)) (f32x4.mul (local.get $c3) (local.get $w)))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $c16)))
    (block $c4_done
      (loop $c4
        (br_if $c4_done (i32.ge_u (local.get $c) (local.get $vBytes)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $c0 (v128.const i32x4 0 0 0 0))
        (local.set $vp (i32.add (local.get $v) (local.get $c)))
        (local.set $at (i32.const 0))
        (local.set $end (i32.shl (local.get $limit0) (i32.const 2)))
        (block $pv4_done
          (loop $pv4
            (br_if $pv4_done (i32.ge_u (local.get $at) (local.get $end)))
            (local.set $kv (v128.load (local.get $vp)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat (i32.add (local.get $sc) (local.get $at))) (local.get $kv))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load32_splat (i32.add (local.get $sc1) (local.get $at))) (local.get $kv))))
            (local.set $vp (i32.add (local.get $vp) (local.get $vBytes)))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (br $pv4)))
        (local.set $end (i32.shl (local.get $limit1) (i32.const 2)))
        (block $pv41_done
          (loop $pv41
            (br_if $pv41_done (i32.ge_u (local.get $at) (local.get $end)))
            (local.set $kv (v128.load (local.get $vp)))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load32_splat (i32.add (local.get $sc1) (local.get $at))) (local.get $kv))))
            (local.set $vp (i32.add (local.get $vp) (local.get $vBytes)))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (br $pv41)))
        (v128.store (i32.add (local.get $o0) (local.get $c)) (f32x4.mul (local.get $a0) (f32x4.splat (local.get $inv0))))
        (v128.store (i32.add (local.get $o1) (local.get $c)) (f32x4.mul (local.get $c0) (f32x4.splat (local.get $inv1))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $c4))))

  ;; a score row of a query at position pos, keys 0 … limit: −∞ before the sliding window's first key
  ;; (pos − window + 1; window 0 = none), and ALiBi's −slope·(pos − s) added (slope 0 = none)
  (func $biasRow (param $sc i32) (param $limit i32) (param $pos i32) (param $window i32) (param $slope f32)
    (local $s i32) (local $lo i32) (local $at i32)
    (if (i32.gt_s (local.get $window) (i32.const 0)) (then
      (local.set $lo (i32.sub (i32.add (local.get $pos) (i32.const 1)) (local.get $window)))
      (if (i32.gt_s (local.get $lo) (local.get $limit)) (then (local.set $lo (local.get $limit))))
      (call $fillNegInf (local.get $sc) (i32.const 0) (local.get $lo))
      (local.set $s (local.get $lo))))
    (if (i32.lt_s (local.get $s) (i32.const 0)) (then (local.set $s (i32.const 0))))
    (if (f32.ne (local.get $slope) (f32.const 0)) (then
      (block $done
        (loop $l
          (br_if $done (i32.ge_s (local.get $s) (local.get $limit)))
          (local.set $at (i32.add (local.get $sc) (i32.shl (local.get $s) (i32.const 2))))
          (f32.store (local.get $at) (f32.sub (f32.load (local.get $at))
            (f32.mul (local.get $slope) (f32.convert_i32_s (i32.sub (local.get $pos) (local.get $s))))))
          (local.set $s (i32.add (local.get $s) (i32.const 1)))
          (br $l))))))

  ;; sc[from … to) = −∞ (floats; to a multiple of 4 or not)
  (func $fillNegInf (param $sc i32) (param $from i32) (param $to i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $from) (local.get $to)))
        (f32.store (i32.add (local.get $sc) (i32.shl (local.get $from) (i32.const 2))) (f32.const -inf))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $l))))

  ;; a score row of n floats (n a multiple of 4, −∞ where hidden) → e = exp(score − max) in place;
  ;; returns 1/Σe. The maximum propagates NaN (f32x4.max), which then reaches every weight.
  (func $expRow (param $sc i32) (param $n i32) (result f32)
    (local $at i32) (local $end i32) (local $mx v128) (local $acc v128) (local $acc2 v128) (local $e v128) (local $e2 v128) (local $m f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $mx (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $at (i32.const 0))
    (block $m_done
      (loop $ml
        (br_if $m_done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $mx (f32x4.max (local.get $mx) (v128.load (i32.add (local.get $sc) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $ml)))
    (local.set $m (f32.max (f32.max (f32x4.extract_lane 0 (local.get $mx)) (f32x4.extract_lane 1 (local.get $mx)))
                           (f32.max (f32x4.extract_lane 2 (local.get $mx)) (f32x4.extract_lane 3 (local.get $mx)))))
    (local.set $mx (f32x4.splat (local.get $m)))
    (local.set $acc (v128.const i32x4 0 0 0 0))
    (local.set $at (i32.const 0))
    (local.set $acc2 (v128.const i32x4 0 0 0 0))
    (block $e_done
      (loop $el
        (br_if $e_done (i32.gt_u (i32.add (local.get $at) (i32.const 32)) (local.get $end)))
        (call $exp8
          (f32x4.sub (v128.load (i32.add (local.get $sc) (local.get $at))) (local.get $mx))
          (f32x4.sub (v128.load offset=16 (i32.add (local.get $sc) (local.get $at))) (local.get $mx)))
        (local.set $e2)
        (local.set $e)
        (v128.store (i32.add (local.get $sc) (local.get $at)) (local.get $e))
        (v128.store offset=16 (i32.add (local.get $sc) (local.get $at)) (local.get $e2))
        (local.set $acc (f32x4.add (local.get $acc) (local.get $e)))
        (local.set $acc2 (f32x4.add (local.get $acc2) (local.get $e2)))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (br $el)))
    (if (i32.lt_u (local.get $at) (local.get $end)) ;; an odd last vector
      (then
        (local.set $e (f32x4.sub (v128.load (i32.add (local.get $sc) (local.get $at))) (local.get $mx)))
        (call $exp8 (local.get $e) (local.get $e))
        (drop)
        (local.set $e)
        (v128.store (i32.add (local.get $sc) (local.get $at)) (local.get $e))
        (local.set $acc (f32x4.add (local.get $acc) (local.get $e)))))
    (f32.div (f32.const 1) (call $hsum (f32x4.add (local.get $acc) (local.get $acc2)))))

  ;; attention for one head, no mask other than causal (see $attnRow): query rows in pairs where both
  ;; see at least one key, else one at a time. sc: two score rows of S + 4 floats.
  (func (export "attention")
    (param $q i32) (param $k i32) (param $v i32) (param $out i32) (param $sc i32)
    (param $T i32) (param $S i32) (param $D i32) (param $Dv i32) (param $scale f32) (param $causal i32)
    (param $window i32) (param $slope f32)
    (local $t i32) (local $limit0 i32) (local $limit1 i32)
    (local.set $t (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $t) (local.get $T)))
        (local.set $limit0 (local.get $S))
        (local.set $limit1 (local.get $S))
        (if (local.get $causal) (then
          (local.set $limit0 (i32.add (local.get $t) (i32.sub (local.get $S) (i32.sub (local.get $T) (i32.const 1)))))
          (if (i32.gt_s (local.get $limit0) (local.get $S)) (then (local.set $limit0 (local.get $S))))
          (local.set $limit1 (i32.add (local.get $limit0) (i32.const 1)))
          (if (i32.gt_s (local.get $limit1) (local.get $S)) (then (local.set $limit1 (local.get $S))))))
        (if (i32.and (i32.lt_u (i32.add (local.get $t) (i32.const 1)) (local.get $T)) (i32.ge_s (local.get $limit0) (i32.const 1)))
          (then
            (call $attnPair (local.get $q) (local.get $k) (local.get $v) (local.get $out) (local.get $sc)
              (local.get $S) (local.get $D) (local.get $Dv) (local.get $scale) (local.get $t) (local.get $limit0) (local.get $limit1)
              (i32.add (local.get $t) (i32.sub (local.get $S) (local.get $T))) (local.get $window) (local.get $slope))
            (local.set $t (i32.add (local.get $t) (i32.const 2))))
          (else
            (call $attnRow (local.get $q) (local.get $k) (local.get $v) (local.get $out) (local.get $sc)
              (local.get $T) (local.get $S) (local.get $D) (local.get $Dv) (local.get $scale) (local.get $causal) (local.get $t)
              (local.get $window) (local.get $slope))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))))
        (br $rows))))

  ;; the attention backward pass for one head, no mask other than causal (the JavaScript reference is
  ;; attentionBackwardReference in src/kernels/attention-backward.ts): for each query row t that sees
  ;; a key, its probabilities P are recomputed from q and k into sc[0 … S+4) (scores, then $expRow),
  ;; dP_s = dO_t·v_s goes to sc[S+4 … 2S+8), and then
  ;;   dv_s += P_s·dO_t,   dS_s = P_s·(dP_s − Σ_s P_s·dP_s)·scale,   dq_t += dS_s·k_s,   dk_s += dS_s·q_t.
  ;; Scores and dP are computed four keys at a time ($sum4 adds up four dot products at once).
  ;; q, dq [T, D]; k, dk [S, D]; v, dv [S, Dv]; dout [T, Dv]. dq, dk and dv are added into (the caller
  ;; copies in what they hold). D and Dv multiples of 4.
  (func (export "attentionBackward")
    (param $q i32) (param $k i32) (param $v i32) (param $dout i32) (param $dq i32) (param $dk i32) (param $dv i32) (param $sc i32)
    (param $T i32) (param $S i32) (param $D i32) (param $Dv i32) (param $scale f32) (param $causal i32)
    (local $t i32) (local $s i32) (local $d i32) (local $limit i32) (local $n4 i32) (local $dp i32)
    (local $dBytes i32) (local $vBytes i32) (local $qrow i32) (local $orow i32) (local $dqrow i32) (local $at i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $acc v128) (local $a v128) (local $b v128) (local $old v128) (local $pv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $dt v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128)
    (local $w f32) (local $inv f32) (local $Dt f32) (local $x f32)
    (local.set $dBytes (i32.shl (local.get $D) (i32.const 2)))
    (local.set $vBytes (i32.shl (local.get $Dv) (i32.const 2)))
    (local.set $dp (i32.add (local.get $sc) (i32.shl (i32.add (local.get $S) (i32.const 4)) (i32.const 2))))
    (local.set $t (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $t) (local.get $T)))
        (local.set $limit (local.get $S))
        (if (local.get $causal) (then
          (local.set $limit (i32.add (local.get $t) (i32.sub (local.get $S) (i32.sub (local.get $T) (i32.const 1)))))
          (if (i32.gt_s (local.get $limit) (local.get $S)) (then (local.set $limit (local.get $S))))))
        (if (i32.gt_s (local.get $limit) (i32.const 0)) (then
          (local.set $qrow (i32.add (local.get $q) (i32.mul (local.get $t) (local.get $dBytes))))
          (local.set $dqrow (i32.add (local.get $dq) (i32.mul (local.get $t) (local.get $dBytes))))
          (local.set $orow (i32.add (local.get $dout) (i32.mul (local.get $t) (local.get $vBytes))))
          ;; scores: sc[s] = scale·q_t·k_s, four keys at a time, then one at a time
          (local.set $s (i32.const 0))
          (block $s4_done
            (loop $s4
              (br_if $s4_done (i32.gt_s (i32.add (local.get $s) (i32.const 4)) (local.get $limit)))
              (local.set $r0 (i32.add (local.get $k) (i32.mul (local.get $s) (local.get $dBytes))))
              (local.set $r1 (i32.add (local.get $r0) (local.get $dBytes)))
              (local.set $r2 (i32.add (local.get $r1) (local.get $dBytes)))
              (local.set $r3 (i32.add (local.get $r2) (local.get $dBytes)))
              (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
              (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
              (local.set $d (i32.const 0))
              (block $d4_done
                (loop $d4
                  (br_if $d4_done (i32.ge_u (local.get $d) (local.get $dBytes)))
                  (local.set $a (v128.load (i32.add (local.get $qrow) (local.get $d))))
                  (local.set $b (v128.load (i32.add (local.get $r0) (local.get $d))))
                  (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $a) (local.get $b))))
                  (local.set $b (v128.load (i32.add (local.get $r1) (local.get $d))))
                  (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $a) (local.get $b))))
                  (local.set $b (v128.load (i32.add (local.get $r2) (local.get $d))))
                  (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $a) (local.get $b))))
                  (local.set $b (v128.load (i32.add (local.get $r3) (local.get $d))))
                  (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $a) (local.get $b))))
                  (local.set $d (i32.add (local.get $d) (i32.const 16)))
                  (br $d4)))
              (v128.store (i32.add (local.get $sc) (i32.shl (local.get $s) (i32.const 2)))
                (f32x4.mul (call $sum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)) (f32x4.splat (local.get $scale))))
              (local.set $s (i32.add (local.get $s) (i32.const 4)))
              (br $s4)))
          (block $sd
            (loop $sl
              (br_if $sd (i32.ge_s (local.get $s) (local.get $limit)))
              (local.set $at (i32.add (local.get $k) (i32.mul (local.get $s) (local.get $dBytes))))
              (local.set $acc (v128.const i32x4 0 0 0 0))
              (local.set $d (i32.const 0))
              (block $dd
                (loop $dl
                  (br_if $dd (i32.ge_u (local.get $d) (local.get $dBytes)))
                  (local.set $a (v128.load (i32.add (local.get $qrow) (local.get $d))))
                  (local.set $b (v128.load (i32.add (local.get $at) (local.get $d))))
                  (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $a) (local.get $b))))
                  (local.set $d (i32.add (local.get $d) (i32.const 16)))
                  (br $dl)))
              (f32.store (i32.add (local.get $sc) (i32.shl (local.get $s) (i32.const 2))) (f32.mul (call $hsum (local.get $acc)) (local.get $scale)))
              (local.set $s (i32.add (local.get $s) (i32.const 1)))
              (br $sl)))
          (local.set $n4 (i32.and (i32.add (local.get $limit) (i32.const 3)) (i32.const -4)))
          (call $fillNegInf (local.get $sc) (local.get $limit) (local.get $n4))
          ;; P = exp(score − max)/Σ over the row, in place (the padding becomes 0)
          (local.set $pv (f32x4.splat (call $expRow (local.get $sc) (local.get $n4))))
          (local.set $s (i32.const 0))
          (block $nd
            (loop $nl
              (br_if $nd (i32.ge_u (local.get $s) (i32.shl (local.get $n4) (i32.const 2))))
              (v128.store (i32.add (local.get $sc) (local.get $s)) (f32x4.mul (v128.load (i32.add (local.get $sc) (local.get $s))) (local.get $pv)))
              (local.set $s (i32.add (local.get $s) (i32.const 16)))
              (br $nl)))
          ;; dP_s = dO_t·v_s and dv_s += P_s·dO_t, four keys at a time; Dt = Σ P_s·dP_s
          (local.set $dt (v128.const i32x4 0 0 0 0))
          (local.set $s (i32.const 0))
          (block $v4_done
            (loop $v4
              (br_if $v4_done (i32.gt_s (i32.add (local.get $s) (i32.const 4)) (local.get $limit)))
              (local.set $r0 (i32.mul (local.get $s) (local.get $vBytes)))
              (local.set $r1 (i32.add (local.get $r0) (local.get $vBytes)))
              (local.set $r2 (i32.add (local.get $r1) (local.get $vBytes)))
              (local.set $r3 (i32.add (local.get $r2) (local.get $vBytes)))
              (local.set $pv (v128.load (i32.add (local.get $sc) (i32.shl (local.get $s) (i32.const 2)))))
              (local.set $p0 (f32x4.splat (f32x4.extract_lane 0 (local.get $pv))))
              (local.set $p1 (f32x4.splat (f32x4.extract_lane 1 (local.get $pv))))
              (local.set $p2 (f32x4.splat (f32x4.extract_lane 2 (local.get $pv))))
              (local.set $p3 (f32x4.splat (f32x4.extract_lane 3 (local.get $pv))))
              (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
              (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
              (local.set $d (i32.const 0))
              (block $e4_done
                (loop $e4
                  (br_if $e4_done (i32.ge_u (local.get $d) (local.get $vBytes)))
                  (local.set $a (v128.load (i32.add (local.get $orow) (local.get $d))))
                  (local.set $at (i32.add (local.get $d) (local.get $r0)))
                  (local.set $b (v128.load (i32.add (local.get $v) (local.get $at))))
                  (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $a) (local.get $b))))
                  (local.set $old (v128.load (i32.add (local.get $dv) (local.get $at))))
                  (v128.store (i32.add (local.get $dv) (local.get $at)) (f32x4.add (local.get $old) (f32x4.mul (local.get $p0) (local.get $a))))
                  (local.set $at (i32.add (local.get $d) (local.get $r1)))
                  (local.set $b (v128.load (i32.add (local.get $v) (local.get $at))))
                  (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $a) (local.get $b))))
                  (local.set $old (v128.load (i32.add (local.get $dv) (local.get $at))))
                  (v128.store (i32.add (local.get $dv) (local.get $at)) (f32x4.add (local.get $old) (f32x4.mul (local.get $p1) (local.get $a))))
                  (local.set $at (i32.add (local.get $d) (local.get $r2)))
                  (local.set $b (v128.load (i32.add (local.get $v) (local.get $at))))
                  (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $a) (local.get $b))))
                  (local.set $old (v128.load (i32.add (local.get $dv) (local.get $at))))
                  (v128.store (i32.add (local.get $dv) (local.get $at)) (f32x4.add (local.get $old) (f32x4.mul (local.get $p2) (local.get $a))))
                  (local.set $at (i32.add (local.get $d) (local.get $r3)))
                  (local.set $b (v128.load (i32.add (local.get $v) (local.get $at))))
                  (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $a) (local.get $b))))
                  (local.set $old (v128.load (i32.add (local.get $dv) (local.get $at))))
                  (v128.store (i32.add (local.get $dv) (local.get $at)) (f32x4.add (local.get $old) (f32x4.mul (local.get $p3) (local.get $a))))
                  (local.set $d (i32.add (local.get $d) (i32.const 16)))
                  (br $e4)))
              (local.set $a (call $sum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)))
              (v128.store (i32.add (local.get $dp) (i32.shl (local.get $s) (i32.const 2))) (local.get $a))
              (local.set $dt (f32x4.add (local.get $dt) (f32x4.mul (local.get $pv) (local.get $a))))
              (local.set $s (i32.add (local.get $s) (i32.const 4)))
              (br $v4)))
          (local.set $Dt (call $hsum (local.get $dt)))
          (block $pd
            (loop $pl
              (br_if $pd (i32.ge_s (local.get $s) (local.get $limit)))
              (local.set $w (f32.load (i32.add (local.get $sc) (i32.shl (local.get $s) (i32.const 2)))))
              (local.set $pv (f32x4.splat (local.get $w)))
              (local.set $at (i32.mul (local.get $s) (local.get $vBytes)))
              (local.set $acc (v128.const i32x4 0 0 0 0))
              (local.set $d (i32.const 0))
              (block $vd
                (loop $vl
                  (br_if $vd (i32.ge_u (local.get $d) (local.get $vBytes)))
                  (local.set $a (v128.load (i32.add (local.get $orow) (local.get $d))))
                  (local.set $b (v128.load (i32.add (i32.add (local.get $v) (local.get $at)) (local.get $d))))
                  (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $a) (local.get $b))))
                  (local.set $old (v128.load (i32.add (i32.add (local.get $dv) (local.get $at)) (local.get $d))))
                  (v128.store (i32.add (i32.add (local.get $dv) (local.get $at)) (local.get $d))
                    (f32x4.add (local.get $old) (f32x4.mul (local.get $pv) (local.get $a))))
                  (local.set $d (i32.add (local.get $d) (i32.const 16)))
                  (br $vl)))
              (local.set $x (call $hsum (local.get $acc)))
              (f32.store (i32.add (local.get $dp) (i32.shl (local.get $s) (i32.const 2))) (local.get $x))
              (local.set $Dt (f32.add (local.get $Dt) (f32.mul (local.get $w) (local.get $x))))
              (local.set $s (i32.add (local.get $s) (i32.const 1)))
              (br $pl)))
          ;; dS_s → dq_t += dS_s·k_s, dk_s += dS_s·q_t
          (local.set $s (i32.const 0))
          (block $gd
            (loop $gl
              (br_if $gd (i32.ge_s (local.get $s) (local.get $limit)))
              (local.set $pv (f32x4.splat (f32.mul (f32.mul
                (f32.load (i32.add (local.get $sc) (i32.shl (local.get $s) (i32.const 2))))
                (f32.sub (f32.load (i32.add (local.get $dp) (i32.shl (local.get $s) (i32.const 2)))) (local.get $Dt)))
                (local.get $scale))))
              (local.set $at (i32.mul (local.get $s) (local.get $dBytes)))
              (local.set $d (i32.const 0))
              (block $kd
                (loop $kl
                  (br_if $kd (i32.ge_u (local.get $d) (local.get $dBytes)))
                  (local.set $a (v128.load (i32.add (i32.add (local.get $k) (local.get $at)) (local.get $d))))
                  (local.set $old (v128.load (i32.add (local.get $dqrow) (local.get $d))))
                  (v128.store (i32.add (local.get $dqrow) (local.get $d)) (f32x4.add (local.get $old) (f32x4.mul (local.get $pv) (local.get $a))))
                  (local.set $b (v128.load (i32.add (local.get $qrow) (local.get $d))))
                  (local.set $old (v128.load (i32.add (i32.add (local.get $dk) (local.get $at)) (local.get $d))))
                  (v128.store (i32.add (i32.add (local.get $dk) (local.get $at)) (local.get $d)) (f32x4.add (local.get $old) (f32x4.mul (local.get $pv) (local.get $b))))
                  (local.set $d (i32.add (local.get $d) (i32.const 16)))
                  (br $kl)))
              (local.set $s (i32.add (local.get $s) (i32.const 1)))
              (br $gl)))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $rows))))

  ;; GELU, tanh form, element-wise over n floats (n a multiple of 4):
  ;; x/2·(1 + tanh u) = x·sigmoid(2u) with 2u = 2·√(2/π)·(x + 0.044715·x³), one exp of −|2u| per value.
  (func (export "geluTanh") (param $x i32) (param $out i32) (param $n i32)
    (local $i i32) (local $end i32) (local $v v128) (local $u v128) (local $e v128)
    (local $v2 v128) (local $u2 v128) (local $e2 v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; two vectors at a time (an odd last one is computed twice)
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $v2 (local.get $v))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 32)) (local.get $end))
          (then (local.set $v2 (v128.load offset=16 (i32.add (local.get $x) (local.get $i))))))
        (local.set $u (call $geluArg (local.get $v)))
        (local.set $u2 (call $geluArg (local.get $v2)))
        (call $exp8 (f32x4.neg (f32x4.abs (local.get $u))) (f32x4.neg (f32x4.abs (local.get $u2))))
        (local.set $e2)
        (local.set $e)
        (v128.store (i32.add (local.get $out) (local.get $i)) (call $geluFromExp (local.get $v) (local.get $u) (local.get $e)))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 32)) (local.get $end))
          (then (v128.store offset=16 (i32.add (local.get $out) (local.get $i)) (call $geluFromExp (local.get $v2) (local.get $u2) (local.get $e2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $l))))

  ;; siluGated: out = silu(gate)·up = gate·σ(gate)·up over n floats (n a multiple of 4; out may be gate or
  ;; up): σ from e^(−|gate|) as geluFromExp computes it, two vectors at a time (an odd last one twice)
  (func (export "siluGated") (param $gate i32) (param $up i32) (param $out i32) (param $n i32)
    (local $i i32) (local $end i32) (local $g v128) (local $g2 v128) (local $e v128) (local $e2 v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $g (v128.load (i32.add (local.get $gate) (local.get $i))))
        (local.set $g2 (local.get $g))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 32)) (local.get $end))
          (then (local.set $g2 (v128.load offset=16 (i32.add (local.get $gate) (local.get $i))))))
        (call $exp8 (f32x4.neg (f32x4.abs (local.get $g))) (f32x4.neg (f32x4.abs (local.get $g2))))
        (local.set $e2)
        (local.set $e)
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.mul (call $geluFromExp (local.get $g) (local.get $g) (local.get $e)) (v128.load (i32.add (local.get $up) (local.get $i)))))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 32)) (local.get $end))
          (then (v128.store offset=16 (i32.add (local.get $out) (local.get $i))
            (f32x4.mul (call $geluFromExp (local.get $g2) (local.get $g2) (local.get $e2)) (v128.load offset=16 (i32.add (local.get $up) (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $l))))

  ;; one AdamW step over n floats (n a multiple of 4), in place, in torch.optim.AdamW's order and float32
  ;; rounding: p ← p·keep (keep = 1 − lr·wd); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
  ;; p ← p − stepSize·(m / (√v / bc2Sqrt + eps))
  (func (export "adamw") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $keep f32) (param $b1 f32) (param $b2 f32) (param $eps f32) (param $stepSize f32) (param $bc2Sqrt f32)
    (local $i i32) (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128) (local $pv v128)
    (local $kb1 v128) (local $ka1 v128) (local $kb2 v128) (local $ka2 v128) (local $ke v128) (local $ks v128) (local $kc v128) (local $kk v128)
    (local.set $kb1 (f32x4.splat (local.get $b1)))
    (local.set $ka1 (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))))
    (local.set $kb2 (f32x4.splat (local.get $b2)))
    (local.set $ka2 (f32x4.splat (f32.sub (f32.const 1) (local.get $b2))))
    (local.set $ke (f32x4.splat (local.get $eps)))
    (local.set $ks (f32x4.splat (local.get $stepSize)))
    (local.set $kc (f32x4.splat (local.get $bc2Sqrt)))
    (local.set $kk (f32x4.splat (local.get $keep)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (local.set $mv (f32x4.add (f32x4.mul (local.get $kb1) (v128.load (i32.add (local.get $m) (local.get $i)))) (f32x4.mul (local.get $ka1) (local.get $gv))))
        (local.set $vv (f32x4.add (f32x4.mul (local.get $kb2) (v128.load (i32.add (local.get $v) (local.get $i)))) (f32x4.mul (local.get $ka2) (f32x4.mul (local.get $gv) (local.get $gv)))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mv))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vv))
        (local.set $pv (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $i))) (local.get $kk)))
        (v128.store (i32.add (local.get $p) (local.get $i))
          (f32x4.sub (local.get $pv)
            (f32x4.mul (local.get $ks) (f32x4.div (local.get $mv) (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vv)) (local.get $kc)) (local.get $ke))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l))))

  ;; the GELU backward pass, tanh form, over n floats (n a multiple of 4), added into dx:
  ;; dx += dy·(s + x·2s(1 − s)·u′) with s = sigmoid(2u) (from one exp of −|2u|, as geluTanh) and
  ;; u′ = √(2/π)·(1 + 3·0.044715·x²)
  (func (export "geluTanhBackward") (param $dx i32) (param $dy i32) (param $x i32) (param $n i32)
    (local $i i32) (local $end i32) (local $v v128) (local $u v128) (local $e v128)
    (local $v2 v128) (local $u2 v128) (local $e2 v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; two vectors at a time (an odd last one is computed but not stored twice)
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $v2 (local.get $v))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 32)) (local.get $end))
          (then (local.set $v2 (v128.load offset=16 (i32.add (local.get $x) (local.get $i))))))
        (local.set $u (call $geluArg (local.get $v)))
        (local.set $u2 (call $geluArg (local.get $v2)))
        (call $exp8 (f32x4.neg (f32x4.abs (local.get $u))) (f32x4.neg (f32x4.abs (local.get $u2))))
        (local.set $e2)
        (local.set $e)
        (v128.store (i32.add (local.get $dx) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $dx) (local.get $i)))
            (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $i))) (call $geluGrad (local.get $v) (local.get $u) (local.get $e)))))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 32)) (local.get $end))
          (then (v128.store offset=16 (i32.add (local.get $dx) (local.get $i))
            (f32x4.add (v128.load offset=16 (i32.add (local.get $dx) (local.get $i)))
              (f32x4.mul (v128.load offset=16 (i32.add (local.get $dy) (local.get $i))) (call $geluGrad (local.get $v2) (local.get $u2) (local.get $e2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $l))))

  ;; gelu′(x) given 2u and e = e^(−|2u|): s + x·2s(1 − s)·√(2/π)·(1 + 0.134145·x²)
  (func $geluGrad (param $v v128) (param $u v128) (param $e v128) (result v128)
    (local $s v128)
    (local.set $s (f32x4.div
      (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $e) (f32x4.ge (local.get $u) (v128.const f32x4 0 0 0 0)))
      (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $e))))
    (f32x4.add (local.get $s)
      (f32x4.mul
        (f32x4.mul (local.get $v) (f32x4.mul (f32x4.add (local.get $s) (local.get $s)) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $s))))
        (f32x4.mul (v128.const f32x4 0.7978846 0.7978846 0.7978846 0.7978846)
          (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (v128.const f32x4 0.134145 0.134145 0.134145 0.134145) (f32x4.mul (local.get $v) (local.get $v))))))))

  ;; 2u = 2·√(2/π)·(x + 0.044715·x³)
  (func $geluArg (param $v v128) (result v128)
    (f32x4.mul (v128.const f32x4 1.5957691 1.5957691 1.5957691 1.5957691)
      (f32x4.add (local.get $v) (f32x4.mul (v128.const f32x4 0.044715 0.044715 0.044715 0.044715)
        (f32x4.mul (local.get $v) (f32x4.mul (local.get $v) (local.get $v)))))))

  ;; x·sigmoid(2u) given e = e^(−|2u|): sigmoid = 1/(1+e) for u ≥ 0, e/(1+e) for u < 0
  (func $geluFromExp (param $v v128) (param $u v128) (param $e v128) (result v128)
    (f32x4.mul (local.get $v)
      (f32x4.div
        (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $e) (f32x4.ge (local.get $u) (v128.const f32x4 0 0 0 0)))
        (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $e)))))
)
