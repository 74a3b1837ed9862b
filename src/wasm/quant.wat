;; The integer kernels of ggml's block formats (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K): a
;; second module over kernels.wat's memory (imported the same way, the same ABI: byte offsets,
;; 64-byte-aligned buffers, unaligned v128 loads, scratch passed in), instantiated on the first
;; product over a stored weight, so a bundle that never meets one does not carry it.
;;
;; Index (exported functions; the TypeScript declarations are QuantExports in
;; src/backend/module.ts, checked against this module's exports by scripts/build-wasm.mjs):
;;   quantizeQ8        rows of x as int8 blocks of 32 with a float32 scale (how activations meet the block formats)
;;   linearQ8          x·Wᵀ + b over a weight in one of the block formats: integer dot products, four rows of W at a time
(module
  (import "env" "memory" (memory 1 32768))

  ;; quantizeQ8: x [n] float32 (n a multiple of 32) as llama.cpp meets a quantized weight: each run of
  ;; 32 values as 32 int8 q at xq, and at xd its float32 scale d = max|x| / 127 and the i32 sum of
  ;; its q (8 bytes a block); q = nearest(x / d) (ties to even; a block of zeros has d = 0, q = 0).
  (func (export "quantizeQ8") (param $x i32) (param $xq i32) (param $xd i32) (param $n i32)
    (local $end i32) (local $m v128) (local $amax f32) (local $d f32) (local $id v128) (local $q0 v128) (local $q1 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $v4 v128) (local $v5 v128) (local $v6 v128) (local $v7 v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v0 (v128.load (local.get $x))) (local.set $v1 (v128.load offset=16 (local.get $x)))
        (local.set $v2 (v128.load offset=32 (local.get $x))) (local.set $v3 (v128.load offset=48 (local.get $x)))
        (local.set $v4 (v128.load offset=64 (local.get $x))) (local.set $v5 (v128.load offset=80 (local.get $x)))
        (local.set $v6 (v128.load offset=96 (local.get $x))) (local.set $v7 (v128.load offset=112 (local.get $x)))
        (local.set $m (f32x4.max
          (f32x4.max (f32x4.max (f32x4.abs (local.get $v0)) (f32x4.abs (local.get $v1))) (f32x4.max (f32x4.abs (local.get $v2)) (f32x4.abs (local.get $v3))))
          (f32x4.max (f32x4.max (f32x4.abs (local.get $v4)) (f32x4.abs (local.get $v5))) (f32x4.max (f32x4.abs (local.get $v6)) (f32x4.abs (local.get $v7))))))
        (local.set $amax (f32.max (f32.max (f32x4.extract_lane 0 (local.get $m)) (f32x4.extract_lane 1 (local.get $m)))
          (f32.max (f32x4.extract_lane 2 (local.get $m)) (f32x4.extract_lane 3 (local.get $m)))))
        (local.set $d (f32.div (local.get $amax) (f32.const 127)))
        (f32.store (local.get $xd) (local.get $d))
        (local.set $id (f32x4.splat (select (f32.const 0) (f32.div (f32.const 1) (local.get $d)) (f32.eq (local.get $d) (f32.const 0)))))
        (local.set $q0 (i8x16.narrow_i16x8_s
          (i16x8.narrow_i32x4_s
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v0) (local.get $id))))
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v1) (local.get $id)))))
          (i16x8.narrow_i32x4_s
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v2) (local.get $id))))
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v3) (local.get $id)))))))
        (local.set $q1 (i8x16.narrow_i16x8_s
          (i16x8.narrow_i32x4_s
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v4) (local.get $id))))
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v5) (local.get $id)))))
          (i16x8.narrow_i32x4_s
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v6) (local.get $id))))
            (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v7) (local.get $id)))))))
        (v128.store (local.get $xq) (local.get $q0))
        (v128.store offset=16 (local.get $xq) (local.get $q1))
        (local.set $m (i32x4.add
          (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (local.get $q0)))
          (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (local.get $q1)))))
        (i32.store offset=4 (local.get $xd) (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $m)) (i32x4.extract_lane 1 (local.get $m)))
          (i32.add (i32x4.extract_lane 2 (local.get $m)) (i32x4.extract_lane 3 (local.get $m)))))
        (local.set $x (i32.add (local.get $x) (i32.const 128)))
        (local.set $xq (i32.add (local.get $xq) (i32.const 32)))
        (local.set $xd (i32.add (local.get $xd) (i32.const 8)))
        (br $blocks))))

  ;; linearQ8: out [M, N] = x·Wᵀ + b for a weight W [N, K] stored in a block format of 32 values,
  ;; its bytes exactly as ggml's — kind 0 Q8_0 (34-byte blocks), 1 Q4_0 (18), 2 Q4_1 (20), 3 Q5_0
  ;; (22), 4 Q5_1 (24), and the K-quants' super-blocks of 256 (K a multiple of 256): 5 Q4_K (144
  ;; bytes), 6 Q5_K (176), 7 Q6_K (210), each sub-block's scale (and minimum) read from the super-block's
  ;; packed header into scr, each x block of 32 meeting one Q4_K/Q5_K sub-block or two of Q6_K's —
  ;; and x given as quantizeQ8 made it (xq [M, K] int8, xd [M, K/32] scales and sums); out's rows are ldo floats apart (N, or more where a thread computes a slice of N's columns). K a multiple of 32; any N (the last group of four rows repeats row N − 1 and stores only
  ;; its rows); b [N] (zeros for none); scr holds 72·K/32 + 256 bytes. One function per format below (a
  ;; function for all five spilled its vectors: twice as slow). Four rows of W at a time (Q8_0: and
  ;; two rows of x while two remain, 1.1–1.2× faster from two rows up): their
  ;; scales (and minimums) are widened once into scr, then for each row of x and each block the four
  ;; integer dot products (both sides widened to i16, then i32x4.dot_i16x8_s: products summed in pairs
  ;; in i32, the same lanes the i16 path gave, 1.1–1.2× faster at 32 rows; x's widening is shared by the four rows); 4- and 5-bit values are read unsigned, their offset taken off as offset·Σ x; the
  ;; fifth bit of Q5 comes from its 32-bit mask) are summed across by a transpose and scaled by
  ;; d_w·d_x (plus m_w·d_x·Σ x for the formats with a minimum) into one accumulator lane per row.
  ;; Each output is summed in the same order whatever M (Q8_0 and Q4_0: block b into accumulator
  ;; b mod 4, see below; the others block after block), so one row of x gives the bits it gives
  ;; among many.  Q8_0 splits its bytes by shifts instead of widening them: W's odd
  ;; bytes sign-extended (>> 8) meet x's odd bytes times 256 (& 0xff00), W's even bytes times 256
  ;; (<< 8) meet x's even bytes sign-extended, and the four rows' sums are shifted back by 8 — the
  ;; same integers (every partial sum fits in i32), one instruction fewer per 16 weights, 1.05–1.1×.
  ;; Each row's integer sum but the last is stored into a sink (never read) before the next row's
  ;; loads, so that V8 computes it before issuing them instead of issuing all loads first and
  ;; spilling (1.1–1.4× across the formats; see linear_q8_stream).
  ;; One row of x of Q8_0 or Q4_0 goes to linear_q8_stream / linear_q4_stream (W's rows one after
  ;; another: 1.6–1.7× from memory), and linear_q8 / linear_q4 sum each output in that kernel's order
  ;; (block b into accumulator b mod 4).
  (func (export "linearQ8") (param $xq i32) (param $xd i32) (param $w i32) (param $kind i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (block $q6k (block $q5k (block $q4k (block $q51 (block $q5 (block $q41 (block $q4 (block $q8
      (br_table $q8 $q4 $q41 $q5 $q51 $q4k $q5k $q6k (local.get $kind)))
      (if (i32.eq (local.get $M) (i32.const 1))
        (then (return (call $linear_q8_stream (local.get $xq) (local.get $xd) (local.get $w) (i32.const 34) (local.get $b) (local.get $out) (local.get $M) (local.get $K) (local.get $N) (local.get $scr) (local.get $ldo)))))
      (return (call $linear_q8 (local.get $xq) (local.get $xd) (local.get $w) (i32.const 34) (local.get $b) (local.get $out) (local.get $M) (local.get $K) (local.get $N) (local.get $scr) (local.get $ldo))))
      (if (i32.eq (local.get $M) (i32.const 1))
        (then (return (call $linear_q4_stream (local.get $xq) (local.get $xd) (local.get $w) (i32.const 18) (local.get $b) (local.get $out) (local.get $M) (local.get $K) (local.get $N) (local.get $scr) (local.get $ldo)))))
      (return (call $linear_q4 (local.get $xq) (local.get $xd) (local.get $w) (i32.const 18) (local.get $b) (local.get $out) (local.get $M) (local.get $K) (local.get $N) (local.get $scr) (local.get $ldo))))
      (return (call $linear_q41 (local.get $xq) (local.get $xd) (local.get $w) (i32.const 20) (local.get $b) (local.get $out) (local.get $M) (local.get $K) (local.get $N) (local.get $scr) (local.get $ldo))))
      (return (call $linear_q5 (local.get $xq) (local.get $xd) (local.get $w) (i32.const 22) (local.get $b) (local.get $out) (local.get $M) (local.get $K) (local.get $N) (local.get $scr) (local.get $ldo))))
      (return (call $linear_q51 (local.get $xq) (local.get $xd) (local.get $w) (i32.const 24) (local.get $b) (local.get $out) (local.get $M) (local.get $K) (local.get $N) (local.get $scr) (local.get $ldo))))
      (return (call $linear_q4k (local.get $xq) (local.get $xd) (local.get $w) (i32.const 144) (local.get $b) (local.get $out) (local.get $M) (local.get $K) (local.get $N) (local.get $scr) (local.get $ldo))))
      (return (call $linear_q5k (local.get $xq) (local.get $xd) (local.get $w) (i32.const 176) (local.get $b) (local.get $out) (local.get $M) (local.get $K) (local.get $N) (local.get $scr) (local.get $ldo))))
    (call $linear_q6k (local.get $xq) (local.get $xd) (local.get $w) (i32.const 210) (local.get $b) (local.get $out) (local.get $M) (local.get $K) (local.get $N) (local.get $scr) (local.get $ldo)))

  (func $linear_q8 (param $xq i32) (param $xd i32) (param $w i32) (param $bb i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (local $nb i32) (local $rowBytes i32) (local $j i32) (local $i i32) (local $blk i32) (local $last i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $xa i32) (local $xs i32) (local $sc i32) (local $o i32) (local $bj i32) (local $Q i32) (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $qb1 i32) (local $qb2 i32) (local $qb3 i32) (local $ab i32) (local $slot i32) (local $sink i32)
    (local $x0 v128) (local $x1 v128) (local $w0 v128) (local $w1 v128) (local $v v128) (local $acc v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $xl0 v128) (local $xh0 v128) (local $xl1 v128) (local $xh1 v128)
    (local $yl0 v128) (local $yh0 v128) (local $yl1 v128) (local $yh1 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $acc2 v128)
    (local.set $nb (i32.shr_u (local.get $K) (i32.const 5)))
    (local.set $rowBytes (i32.mul (local.get $nb) (local.get $bb)))
    (local.set $last (i32.sub (local.get $N) (i32.const 1)))
    ;; a group's four rows are j + s·Q (s = 0 … 3, Q = ⌈N/4⌉), not neighbours: each of the four
    ;; streams then runs on into the next row, which the prefetcher follows; rows ≥ N repeat row N − 1
    (local.set $Q (i32.shr_u (i32.add (local.get $N) (i32.const 3)) (i32.const 2)))
    (local.set $q1 (local.get $Q)) (local.set $q2 (i32.shl (local.get $Q) (i32.const 1))) (local.set $q3 (i32.mul (local.get $Q) (i32.const 3)))
    (local.set $qb1 (i32.shl (local.get $q1) (i32.const 2))) (local.set $qb2 (i32.shl (local.get $q2) (i32.const 2))) (local.set $qb3 (i32.shl (local.get $q3) (i32.const 2)))
    ;; the accumulators, four per row of x (block b into the one of b mod 4), after the scales in scr
    (local.set $ab (i32.add (local.get $scr) (i32.shl (local.get $nb) (i32.const 5))))
    (local.set $sink (i32.add (local.get $ab) (i32.const 128)))
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.ge_u (local.get $j) (local.get $Q)))
        (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q1)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r2 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q2)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r3 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q3)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))) (local.get $rowBytes))))
        (local.set $blk (i32.const 0))
        (block $scales_done
          (loop $scales
            (br_if $scales_done (i32.ge_u (local.get $blk) (local.get $nb)))
            (local.set $o (i32.mul (local.get $blk) (local.get $bb)))
            ;; the four rows' F16 scales as float32 lanes, converted as widen16 converts them
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u offset=0 (i32.add (local.get $r0) (local.get $o)))) (i32.load16_u offset=0 (i32.add (local.get $r1) (local.get $o))))
              (i32.load16_u offset=0 (i32.add (local.get $r2) (local.get $o)))) (i32.load16_u offset=0 (i32.add (local.get $r3) (local.get $o)))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $w1 (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))))
            (v128.store offset=0 (i32.add (local.get $scr) (i32.shl (local.get $blk) (i32.const 5)))
              (v128.or (local.get $w1) (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $scales)))
        (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        ;; two rows of x at a time while two remain: each row of W widened once for both
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $M)))
            (v128.store offset=0 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=16 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=32 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=48 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=64 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=80 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=96 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=112 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (local.set $xa (i32.add (local.get $xq) (i32.mul (local.get $i) (local.get $K))))
            (local.set $xs (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $i) (local.get $nb)) (i32.const 3))))
            (local.set $sc (local.get $scr))
            (local.set $p0 (local.get $r0)) (local.set $p1 (local.get $r1)) (local.set $p2 (local.get $r2)) (local.set $p3 (local.get $r3))
            (local.set $blk (i32.const 0))
        (block $q8p_done
          (loop $q8p
            (br_if $q8p_done (i32.ge_u (local.get $blk) (local.get $nb)))
            (local.set $x0 (v128.load (local.get $xa)))
            (local.set $x1 (v128.load offset=16 (local.get $xa)))
            (local.set $xl0 (i16x8.shr_s (i16x8.shl (local.get $x0) (i32.const 8)) (i32.const 8))) (local.set $xh0 (v128.and (local.get $x0) (v128.const i16x8 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00)))
            (local.set $xl1 (i16x8.shr_s (i16x8.shl (local.get $x1) (i32.const 8)) (i32.const 8))) (local.set $xh1 (v128.and (local.get $x1) (v128.const i16x8 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00)))
            (local.set $x0 (v128.load (i32.add (local.get $xa) (local.get $K))))
            (local.set $x1 (v128.load offset=16 (i32.add (local.get $xa) (local.get $K))))
            (local.set $yl0 (i16x8.shr_s (i16x8.shl (local.get $x0) (i32.const 8)) (i32.const 8))) (local.set $yh0 (v128.and (local.get $x0) (v128.const i16x8 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00)))
            (local.set $yl1 (i16x8.shr_s (i16x8.shl (local.get $x1) (i32.const 8)) (i32.const 8))) (local.set $yh1 (v128.and (local.get $x1) (v128.const i16x8 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00)))
            (local.set $w0 (v128.load offset=2 (local.get $p0)))
            (local.set $w1 (v128.load offset=18 (local.get $p0)))
            (local.set $s0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $xl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $xh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $xl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $xh1)))))
            (local.set $t0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $yl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $yh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $yl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $yh1)))))
            (v128.store offset=0 (local.get $sink) (local.get $s0)) (v128.store offset=16 (local.get $sink) (local.get $t0))
            (local.set $w0 (v128.load offset=2 (local.get $p1)))
            (local.set $w1 (v128.load offset=18 (local.get $p1)))
            (local.set $s1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $xl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $xh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $xl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $xh1)))))
            (local.set $t1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $yl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $yh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $yl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $yh1)))))
            (v128.store offset=32 (local.get $sink) (local.get $s1)) (v128.store offset=48 (local.get $sink) (local.get $t1))
            (local.set $w0 (v128.load offset=2 (local.get $p2)))
            (local.set $w1 (v128.load offset=18 (local.get $p2)))
            (local.set $s2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $xl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $xh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $xl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $xh1)))))
            (local.set $t2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $yl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $yh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $yl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $yh1)))))
            (v128.store offset=64 (local.get $sink) (local.get $s2)) (v128.store offset=80 (local.get $sink) (local.get $t2))
            (local.set $w0 (v128.load offset=2 (local.get $p3)))
            (local.set $w1 (v128.load offset=18 (local.get $p3)))
            (local.set $s3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $xl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $xh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $xl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $xh1)))))
            (local.set $t3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $yl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $yh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $yl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $yh1)))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
            (local.set $w0 (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $w0))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $w0))))
            (local.set $slot (i32.add (local.get $ab) (i32.shl (i32.and (local.get $blk) (i32.const 3)) (i32.const 4))))
            (v128.store (local.get $slot) (f32x4.add (v128.load (local.get $slot)) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.shr_s (local.get $v) (i32.const 8)))
              (f32x4.mul (v128.load (local.get $sc)) (f32x4.splat (f32.load (local.get $xs)))))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1))))
            (local.set $w0 (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t2) (local.get $t3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t2) (local.get $t3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $w0))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $w0))))
            (v128.store offset=64 (local.get $slot) (f32x4.add (v128.load offset=64 (local.get $slot)) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.shr_s (local.get $v) (i32.const 8)))
              (f32x4.mul (v128.load (local.get $sc)) (f32x4.splat (f32.load (i32.add (local.get $xs) (i32.shl (local.get $nb) (i32.const 3)))))))))
            (local.set $xa (i32.add (local.get $xa) (i32.const 32)))
            (local.set $xs (i32.add (local.get $xs) (i32.const 8)))
            (local.set $sc (i32.add (local.get $sc) (i32.const 32)))
            (local.set $p0 (i32.add (local.get $p0) (local.get $bb)))
            (local.set $p1 (i32.add (local.get $p1) (local.get $bb)))
            (local.set $p2 (i32.add (local.get $p2) (local.get $bb)))
            (local.set $p3 (i32.add (local.get $p3) (local.get $bb)))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $q8p)))
            (local.set $acc (f32x4.add (f32x4.add (v128.load offset=0 (local.get $ab)) (v128.load offset=16 (local.get $ab))) (f32x4.add (v128.load offset=32 (local.get $ab)) (v128.load offset=48 (local.get $ab)))))
            (local.set $acc2 (f32x4.add (f32x4.add (v128.load offset=64 (local.get $ab)) (v128.load offset=80 (local.get $ab))) (f32x4.add (v128.load offset=96 (local.get $ab)) (v128.load offset=112 (local.get $ab)))))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldo)) (local.get $j)) (i32.const 2))))
        (if (i32.lt_u (i32.add (local.get $j) (i32.const 0)) (local.get $N))
          (then
            (f32.store offset=0 (local.get $o) (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32.load offset=0 (local.get $bj))))
            (f32.store offset=0 (i32.add (local.get $o) (i32.shl (local.get $ldo) (i32.const 2))) (f32.add (f32x4.extract_lane 0 (local.get $acc2)) (f32.load offset=0 (local.get $bj))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))
          (then
            (f32.store (i32.add (local.get $o) (local.get $qb1)) (f32.add (f32x4.extract_lane 1 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb1)))))
            (f32.store (i32.add (i32.add (local.get $o) (i32.shl (local.get $ldo) (i32.const 2))) (local.get $qb1)) (f32.add (f32x4.extract_lane 1 (local.get $acc2)) (f32.load (i32.add (local.get $bj) (local.get $qb1)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))
          (then
            (f32.store (i32.add (local.get $o) (local.get $qb2)) (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb2)))))
            (f32.store (i32.add (i32.add (local.get $o) (i32.shl (local.get $ldo) (i32.const 2))) (local.get $qb2)) (f32.add (f32x4.extract_lane 2 (local.get $acc2)) (f32.load (i32.add (local.get $bj) (local.get $qb2)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))
          (then
            (f32.store (i32.add (local.get $o) (local.get $qb3)) (f32.add (f32x4.extract_lane 3 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb3)))))
            (f32.store (i32.add (i32.add (local.get $o) (i32.shl (local.get $ldo) (i32.const 2))) (local.get $qb3)) (f32.add (f32x4.extract_lane 3 (local.get $acc2)) (f32.load (i32.add (local.get $bj) (local.get $qb3)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $pairs)))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $M)))
            (v128.store offset=0 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=16 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=32 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=48 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (local.set $xa (i32.add (local.get $xq) (i32.mul (local.get $i) (local.get $K))))
            (local.set $xs (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $i) (local.get $nb)) (i32.const 3))))
            (local.set $sc (local.get $scr))
            (local.set $p0 (local.get $r0)) (local.set $p1 (local.get $r1)) (local.set $p2 (local.get $r2)) (local.set $p3 (local.get $r3))
            (local.set $blk (i32.const 0))
        (block $q8_done
          (loop $q8
            (br_if $q8_done (i32.ge_u (local.get $blk) (local.get $nb)))
            ;; x's block widened to i16 once, for the four rows
            (local.set $x0 (v128.load (local.get $xa)))
            (local.set $x1 (v128.load offset=16 (local.get $xa)))
            (local.set $xl0 (i16x8.shr_s (i16x8.shl (local.get $x0) (i32.const 8)) (i32.const 8))) (local.set $xh0 (v128.and (local.get $x0) (v128.const i16x8 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00)))
            (local.set $xl1 (i16x8.shr_s (i16x8.shl (local.get $x1) (i32.const 8)) (i32.const 8))) (local.set $xh1 (v128.and (local.get $x1) (v128.const i16x8 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00)))
            (local.set $w0 (v128.load offset=2 (local.get $p0)))
            (local.set $w1 (v128.load offset=18 (local.get $p0)))
            (local.set $s0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $xl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $xh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $xl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $xh1)))))
            (v128.store offset=0 (local.get $sink) (local.get $s0))
            (local.set $w0 (v128.load offset=2 (local.get $p1)))
            (local.set $w1 (v128.load offset=18 (local.get $p1)))
            (local.set $s1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $xl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $xh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $xl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $xh1)))))
            (v128.store offset=16 (local.get $sink) (local.get $s1))
            (local.set $w0 (v128.load offset=2 (local.get $p2)))
            (local.set $w1 (v128.load offset=18 (local.get $p2)))
            (local.set $s2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $xl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $xh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $xl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $xh1)))))
            (v128.store offset=32 (local.get $sink) (local.get $s2))
            (local.set $w0 (v128.load offset=2 (local.get $p3)))
            (local.set $w1 (v128.load offset=18 (local.get $p3)))
            (local.set $s3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (local.get $xl0)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (local.get $xh0)))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (local.get $xl1)) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (local.get $xh1)))))
            ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
            (local.set $w0 (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $w0))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $w0))))
            (local.set $slot (i32.add (local.get $ab) (i32.shl (i32.and (local.get $blk) (i32.const 3)) (i32.const 4))))
            (v128.store (local.get $slot) (f32x4.add (v128.load (local.get $slot)) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.shr_s (local.get $v) (i32.const 8)))
              (f32x4.mul (v128.load (local.get $sc)) (f32x4.splat (f32.load (local.get $xs)))))))
            (local.set $xa (i32.add (local.get $xa) (i32.const 32)))
            (local.set $xs (i32.add (local.get $xs) (i32.const 8)))
            (local.set $sc (i32.add (local.get $sc) (i32.const 32)))
            (local.set $p0 (i32.add (local.get $p0) (local.get $bb)))
            (local.set $p1 (i32.add (local.get $p1) (local.get $bb)))
            (local.set $p2 (i32.add (local.get $p2) (local.get $bb)))
            (local.set $p3 (i32.add (local.get $p3) (local.get $bb)))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $q8)))
            (local.set $acc (f32x4.add (f32x4.add (v128.load offset=0 (local.get $ab)) (v128.load offset=16 (local.get $ab))) (f32x4.add (v128.load offset=32 (local.get $ab)) (v128.load offset=48 (local.get $ab)))))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldo)) (local.get $j)) (i32.const 2))))
        (if (i32.lt_u (i32.add (local.get $j) (i32.const 0)) (local.get $N))
          (then (f32.store offset=0 (local.get $o) (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32.load offset=0 (local.get $bj))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb1)) (f32.add (f32x4.extract_lane 1 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb1)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb2)) (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb2)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb3)) (f32.add (f32x4.extract_lane 3 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb3)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $groups))))

  (func $linear_q4 (param $xq i32) (param $xd i32) (param $w i32) (param $bb i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (local $nb i32) (local $rowBytes i32) (local $j i32) (local $i i32) (local $blk i32) (local $last i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $xa i32) (local $xs i32) (local $sc i32) (local $o i32) (local $bj i32) (local $Q i32) (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $qb1 i32) (local $qb2 i32) (local $qb3 i32) (local $sink i32) (local $ab i32) (local $slot i32)
    (local $x0 v128) (local $x1 v128) (local $w0 v128) (local $w1 v128) (local $v v128) (local $acc v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $nb (i32.shr_u (local.get $K) (i32.const 5)))
    (local.set $rowBytes (i32.mul (local.get $nb) (local.get $bb)))
    (local.set $last (i32.sub (local.get $N) (i32.const 1)))
    ;; a group's four rows are j + s·Q (s = 0 … 3, Q = ⌈N/4⌉), not neighbours: each of the four
    ;; streams then runs on into the next row, which the prefetcher follows; rows ≥ N repeat row N − 1
    (local.set $Q (i32.shr_u (i32.add (local.get $N) (i32.const 3)) (i32.const 2)))
    (local.set $q1 (local.get $Q)) (local.set $q2 (i32.shl (local.get $Q) (i32.const 1))) (local.set $q3 (i32.mul (local.get $Q) (i32.const 3)))
    (local.set $qb1 (i32.shl (local.get $q1) (i32.const 2))) (local.set $qb2 (i32.shl (local.get $q2) (i32.const 2))) (local.set $qb3 (i32.shl (local.get $q3) (i32.const 2)))
    ;; a sink for each row's sum before the next row's loads (see linear_q8_stream), after the scales and accumulators
    (local.set $sink (i32.add (local.get $scr) (i32.add (i32.shl (local.get $nb) (i32.const 5)) (i32.const 128))))
    ;; the accumulators, block b into the one of b mod 4 (linear_q4_stream's order), after the scales in scr
    (local.set $ab (i32.add (local.get $scr) (i32.shl (local.get $nb) (i32.const 5))))
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.ge_u (local.get $j) (local.get $Q)))
        (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q1)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r2 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q2)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r3 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q3)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))) (local.get $rowBytes))))
        (local.set $blk (i32.const 0))
        (block $scales_done
          (loop $scales
            (br_if $scales_done (i32.ge_u (local.get $blk) (local.get $nb)))
            (local.set $o (i32.mul (local.get $blk) (local.get $bb)))
            ;; the four rows' F16 scales as float32 lanes, converted as widen16 converts them
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u offset=0 (i32.add (local.get $r0) (local.get $o)))) (i32.load16_u offset=0 (i32.add (local.get $r1) (local.get $o))))
              (i32.load16_u offset=0 (i32.add (local.get $r2) (local.get $o)))) (i32.load16_u offset=0 (i32.add (local.get $r3) (local.get $o)))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $w1 (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))))
            (v128.store offset=0 (i32.add (local.get $scr) (i32.shl (local.get $blk) (i32.const 5)))
              (v128.or (local.get $w1) (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $scales)))
        (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $M)))
            (v128.store offset=0 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=16 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=32 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (v128.store offset=48 (local.get $ab) (v128.const i32x4 0 0 0 0))
            (local.set $xa (i32.add (local.get $xq) (i32.mul (local.get $i) (local.get $K))))
            (local.set $xs (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $i) (local.get $nb)) (i32.const 3))))
            (local.set $sc (local.get $scr))
            (local.set $p0 (local.get $r0)) (local.set $p1 (local.get $r1)) (local.set $p2 (local.get $r2)) (local.set $p3 (local.get $r3))
            (local.set $blk (i32.const 0))
        (block $q4_done
          (loop $q4
            (br_if $q4_done (i32.ge_u (local.get $blk) (local.get $nb)))
            (local.set $x0 (v128.load (local.get $xa)))
            (local.set $x1 (v128.load offset=16 (local.get $xa)))
            (local.set $v (v128.load offset=2 (local.get $p0)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $s0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=0 (local.get $sink) (local.get $s0))
            (local.set $v (v128.load offset=2 (local.get $p1)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $s1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=16 (local.get $sink) (local.get $s1))
            (local.set $v (v128.load offset=2 (local.get $p2)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $s2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=32 (local.get $sink) (local.get $s2))
            (local.set $v (v128.load offset=2 (local.get $p3)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $s3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
            (local.set $w0 (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $w0))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $w0))))
            (local.set $v (i32x4.sub (local.get $v) (i32x4.splat (i32.shl (i32.load offset=4 (local.get $xs)) (i32.const 3))))) ;; Σ (q − 8)·x = Σ q·x − 8·Σ x
            (local.set $slot (i32.add (local.get $ab) (i32.shl (i32.and (local.get $blk) (i32.const 3)) (i32.const 4))))
            (v128.store (local.get $slot) (f32x4.add (v128.load (local.get $slot)) (f32x4.mul (f32x4.convert_i32x4_s (local.get $v))
              (f32x4.mul (v128.load (local.get $sc)) (f32x4.splat (f32.load (local.get $xs)))))))
            (local.set $xa (i32.add (local.get $xa) (i32.const 32)))
            (local.set $xs (i32.add (local.get $xs) (i32.const 8)))
            (local.set $sc (i32.add (local.get $sc) (i32.const 32)))
            (local.set $p0 (i32.add (local.get $p0) (local.get $bb)))
            (local.set $p1 (i32.add (local.get $p1) (local.get $bb)))
            (local.set $p2 (i32.add (local.get $p2) (local.get $bb)))
            (local.set $p3 (i32.add (local.get $p3) (local.get $bb)))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $q4)))
            (local.set $acc (f32x4.add (f32x4.add (v128.load offset=0 (local.get $ab)) (v128.load offset=16 (local.get $ab))) (f32x4.add (v128.load offset=32 (local.get $ab)) (v128.load offset=48 (local.get $ab)))))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldo)) (local.get $j)) (i32.const 2))))
        (if (i32.lt_u (i32.add (local.get $j) (i32.const 0)) (local.get $N))
          (then (f32.store offset=0 (local.get $o) (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32.load offset=0 (local.get $bj))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb1)) (f32.add (f32x4.extract_lane 1 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb1)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb2)) (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb2)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb3)) (f32.add (f32x4.extract_lane 3 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb3)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $groups))))

  ;; linear_q8_stream: linear_q8 for one row of x (M = 1), W's rows read one after another, each
  ;; from its start to its end, so the whole matrix is one ascending stream the hardware prefetcher
  ;; follows (four rows side by side are four short streams it loses at every group: 1.6–1.7× slower
  ;; from memory over rows of 576). x is split once into scr (per block its four i16 vectors as
  ;; linear_q8 splits them, 64 bytes), then the blocks' d_x as float32 at scr + 64·nb, 64 zero
  ;; bytes, 4·nb + 16 unused and the sink (48). Each row takes four blocks at a time, their integer
  ;; sums transposed into the lanes of one vector. Lane k of the accumulator sums the blocks b ≡ k (mod 4) in order, the output is
  ;; ((a0 + a1) + (a2 + a3)) + b, and linear_q8 sums each of its outputs in that order too, so one
  ;; row of x gives the bits it gives among many. The last nb mod 4 blocks are one more four: lanes
  ;; k ≥ t read block t − 1's weights against the zero bytes, their d_w·d_x masked to +0, so their
  ;; term is ±0 — which leaves an accumulator lane as it is (a lane that starts at +0 is never −0).
  ;; Each block's sum but the last is stored into a sink after the scratch (never read): V8 keeps
  ;; loads in program order but places arithmetic late, so without an effect between them all of a
  ;; step's loads come first and its vectors spill to the stack — 1.2–1.4× slower.
  (func $linear_q8_stream (param $xq i32) (param $xd i32) (param $w i32) (param $bb i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (local $nb i32) (local $t i32) (local $n i32) (local $p i32) (local $xa i32) (local $xs i32) (local $sx i32) (local $ds i32) (local $end i32) (local $zero i32) (local $sink i32)
    (local $p1 i32) (local $p2 i32) (local $xp1 i32) (local $xp2 i32)
    (local $x0 v128) (local $x1 v128) (local $w0 v128) (local $w1 v128) (local $v v128) (local $u v128) (local $acc v128) (local $d v128) (local $m0 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $m0 (v128.const i16x8 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00 0xff00))
    (local.set $nb (i32.shr_u (local.get $K) (i32.const 5)))
    (local.set $t (i32.and (local.get $nb) (i32.const 3)))
    (local.set $ds (i32.add (local.get $scr) (i32.shl (local.get $nb) (i32.const 6))))
    (local.set $zero (i32.add (local.get $ds) (i32.shl (local.get $nb) (i32.const 2))))
    (local.set $sink (i32.add (local.get $zero) (i32.add (i32.const 80) (i32.shl (local.get $nb) (i32.const 2)))))
    (v128.store offset=0 (local.get $zero) (v128.const i32x4 0 0 0 0)) (v128.store offset=16 (local.get $zero) (v128.const i32x4 0 0 0 0))
    (v128.store offset=32 (local.get $zero) (v128.const i32x4 0 0 0 0)) (v128.store offset=48 (local.get $zero) (v128.const i32x4 0 0 0 0))
    (local.set $xa (local.get $xq)) (local.set $xs (local.get $xd)) (local.set $sx (local.get $scr))
    (block $split_done
      (loop $split
        (br_if $split_done (i32.ge_u (local.get $sx) (local.get $ds)))
        (local.set $x0 (v128.load (local.get $xa)))
        (local.set $x1 (v128.load offset=16 (local.get $xa)))
        (v128.store offset=0 (local.get $sx) (i16x8.shr_s (i16x8.shl (local.get $x0) (i32.const 8)) (i32.const 8)))
        (v128.store offset=16 (local.get $sx) (v128.and (local.get $x0) (local.get $m0)))
        (v128.store offset=32 (local.get $sx) (i16x8.shr_s (i16x8.shl (local.get $x1) (i32.const 8)) (i32.const 8)))
        (v128.store offset=48 (local.get $sx) (v128.and (local.get $x1) (local.get $m0)))
        (f32.store (i32.add (local.get $ds) (i32.shr_u (i32.sub (local.get $sx) (local.get $scr)) (i32.const 4))) (f32.load (local.get $xs)))
        (local.set $xa (i32.add (local.get $xa) (i32.const 32)))
        (local.set $xs (i32.add (local.get $xs) (i32.const 8)))
        (local.set $sx (i32.add (local.get $sx) (i32.const 64)))
        (br $split)))
    (local.set $p (local.get $w))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $n) (local.get $N)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $sx (local.get $scr))
        (local.set $xs (local.get $ds))
        (local.set $end (i32.add (local.get $ds) (i32.shl (i32.sub (local.get $nb) (local.get $t)) (i32.const 2))))
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.ge_u (local.get $xs) (local.get $end)))
            ;; the four blocks' F16 scales as float32 lanes, converted as widen16 converts them
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u (local.get $p))) (i32.load16_u offset=34 (local.get $p)))
              (i32.load16_u offset=68 (local.get $p))) (i32.load16_u offset=102 (local.get $p))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $d (v128.or (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff)))
              (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $w0 (v128.load offset=2 (local.get $p))) (local.set $w1 (v128.load offset=18 (local.get $p)))
            (local.set $s0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (v128.load offset=0 (local.get $sx))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (v128.load offset=16 (local.get $sx))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (v128.load offset=32 (local.get $sx))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (v128.load offset=48 (local.get $sx))))))
            (v128.store offset=0 (local.get $sink) (local.get $s0))
            (local.set $w0 (v128.load offset=36 (local.get $p))) (local.set $w1 (v128.load offset=52 (local.get $p)))
            (local.set $s1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (v128.load offset=64 (local.get $sx))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (v128.load offset=80 (local.get $sx))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (v128.load offset=96 (local.get $sx))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (v128.load offset=112 (local.get $sx))))))
            (v128.store offset=16 (local.get $sink) (local.get $s1))
            (local.set $w0 (v128.load offset=70 (local.get $p))) (local.set $w1 (v128.load offset=86 (local.get $p)))
            (local.set $s2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (v128.load offset=128 (local.get $sx))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (v128.load offset=144 (local.get $sx))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (v128.load offset=160 (local.get $sx))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (v128.load offset=176 (local.get $sx))))))
            (v128.store offset=32 (local.get $sink) (local.get $s2))
            (local.set $w0 (v128.load offset=104 (local.get $p))) (local.set $w1 (v128.load offset=120 (local.get $p)))
            (local.set $s3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (v128.load offset=192 (local.get $sx))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (v128.load offset=208 (local.get $sx))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (v128.load offset=224 (local.get $sx))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (v128.load offset=240 (local.get $sx))))))
            ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four blocks' integer sums, by a 4×4 transpose
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
            (local.set $u (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $u))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $u))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.shr_s (local.get $v) (i32.const 8)))
              (f32x4.mul (local.get $d) (v128.load (local.get $xs))))))
            (local.set $p (i32.add (local.get $p) (i32.const 136)))
            (local.set $sx (i32.add (local.get $sx) (i32.const 256)))
            (local.set $xs (i32.add (local.get $xs) (i32.const 16)))
            (br $quads)))
        (if (local.get $t)
          (then
            (local.set $p1 (i32.add (local.get $p) (select (i32.const 34) (i32.const 0) (i32.gt_u (local.get $t) (i32.const 1)))))
            (local.set $p2 (i32.add (local.get $p) (select (i32.const 68) (i32.mul (i32.sub (local.get $t) (i32.const 1)) (i32.const 34)) (i32.gt_u (local.get $t) (i32.const 2)))))
            (local.set $xp1 (select (i32.add (local.get $sx) (i32.const 64)) (local.get $zero) (i32.gt_u (local.get $t) (i32.const 1))))
            (local.set $xp2 (select (i32.add (local.get $sx) (i32.const 128)) (local.get $zero) (i32.gt_u (local.get $t) (i32.const 2))))
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u (local.get $p))) (i32.load16_u (local.get $p1)))
              (i32.load16_u (local.get $p2))) (i32.load16_u (local.get $p2))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $d (v128.or (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff)))
              (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $w0 (v128.load offset=2 (local.get $p))) (local.set $w1 (v128.load offset=18 (local.get $p)))
            (local.set $s0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (v128.load offset=0 (local.get $sx))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (v128.load offset=16 (local.get $sx))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (v128.load offset=32 (local.get $sx))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (v128.load offset=48 (local.get $sx))))))
            (v128.store offset=0 (local.get $sink) (local.get $s0))
            (local.set $w0 (v128.load offset=2 (local.get $p1))) (local.set $w1 (v128.load offset=18 (local.get $p1)))
            (local.set $s1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (v128.load offset=0 (local.get $xp1))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (v128.load offset=16 (local.get $xp1))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (v128.load offset=32 (local.get $xp1))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (v128.load offset=48 (local.get $xp1))))))
            (v128.store offset=16 (local.get $sink) (local.get $s1))
            (local.set $w0 (v128.load offset=2 (local.get $p2))) (local.set $w1 (v128.load offset=18 (local.get $p2)))
            (local.set $s2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (v128.load offset=0 (local.get $xp2))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (v128.load offset=16 (local.get $xp2))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (v128.load offset=32 (local.get $xp2))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (v128.load offset=48 (local.get $xp2))))))
            (v128.store offset=32 (local.get $sink) (local.get $s2))
            (local.set $w0 (v128.load offset=2 (local.get $p2))) (local.set $w1 (v128.load offset=18 (local.get $p2)))
            (local.set $s3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w0) (i32.const 8)) (v128.load offset=0 (local.get $zero))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w0) (i32.const 8)) (v128.load offset=16 (local.get $zero))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.shl (local.get $w1) (i32.const 8)) (v128.load offset=32 (local.get $zero))) (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $w1) (i32.const 8)) (v128.load offset=48 (local.get $zero))))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
            (local.set $u (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $u))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $u))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.shr_s (local.get $v) (i32.const 8)))
              (v128.and (f32x4.mul (local.get $d) (v128.load (local.get $xs))) (i32x4.gt_s (i32x4.splat (local.get $t)) (v128.const i32x4 0 1 2 3))))))
            (local.set $p (i32.add (local.get $p) (i32.mul (local.get $t) (i32.const 34))))))
        (f32.store (local.get $out) (f32.add
          (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
                   (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))
          (f32.load (local.get $b))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $rows))))

  ;; linear_q4_stream: linear_q4 for one row of x (M = 1), W's rows streamed as linear_q8_stream
  ;; streams them, in its order (block b into accumulator lane b mod 4). x is split once into scr so
  ;; that each nibble takes one mask and no widening: per block x_e·256 and x_o (x << 8, x >> 8 in
  ;; 16-bit lanes) for its first 16 values, the same for its last 16; a 16-bit lane of W masked
  ;; (v & 0x000f, v & 0x0f00: w_e and 256·w_o) meets them in i32x4.dot_i16x8_s as 256·(w_e·x_e +
  ;; w_o·x_o), its high nibbles the same after v >> 4 — the integer sums the widening form gives.
  ;; Then d_x at scr + 64·nb, 64 zero bytes, and 8·Σ x per block after them (Σ (q − 8)·x =
  ;; Σ q·x − 8·Σ x; a tail's lanes past the row read zeros there), then the sink.
  (func $linear_q4_stream (param $xq i32) (param $xd i32) (param $w i32) (param $bb i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (local $nb i32) (local $t i32) (local $n i32) (local $p i32) (local $xa i32) (local $xs i32) (local $sx i32) (local $ds i32) (local $end i32) (local $zero i32) (local $sink i32)
    (local $p1 i32) (local $p2 i32) (local $xp1 i32) (local $xp2 i32)
    (local $x0 v128) (local $x1 v128) (local $w0 v128) (local $w1 v128) (local $v v128) (local $u v128) (local $acc v128) (local $d v128) (local $m0 v128) (local $m1 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $m0 (v128.const i16x8 0x000f 0x000f 0x000f 0x000f 0x000f 0x000f 0x000f 0x000f))
    (local.set $m1 (v128.const i16x8 0x0f00 0x0f00 0x0f00 0x0f00 0x0f00 0x0f00 0x0f00 0x0f00))
    (local.set $nb (i32.shr_u (local.get $K) (i32.const 5)))
    (local.set $t (i32.and (local.get $nb) (i32.const 3)))
    (local.set $ds (i32.add (local.get $scr) (i32.shl (local.get $nb) (i32.const 6))))
    (local.set $zero (i32.add (local.get $ds) (i32.shl (local.get $nb) (i32.const 2))))
    (local.set $sink (i32.add (local.get $zero) (i32.add (i32.const 80) (i32.shl (local.get $nb) (i32.const 2)))))
    (v128.store offset=0 (local.get $zero) (v128.const i32x4 0 0 0 0)) (v128.store offset=16 (local.get $zero) (v128.const i32x4 0 0 0 0))
    (v128.store offset=32 (local.get $zero) (v128.const i32x4 0 0 0 0)) (v128.store offset=48 (local.get $zero) (v128.const i32x4 0 0 0 0))
    (local.set $xa (local.get $xq)) (local.set $xs (local.get $xd)) (local.set $sx (local.get $scr))
    (block $split_done
      (loop $split
        (br_if $split_done (i32.ge_u (local.get $sx) (local.get $ds)))
        (local.set $x0 (v128.load (local.get $xa)))
        (local.set $x1 (v128.load offset=16 (local.get $xa)))
        (v128.store offset=0 (local.get $sx) (i16x8.shl (local.get $x0) (i32.const 8)))
        (v128.store offset=16 (local.get $sx) (i16x8.shr_s (local.get $x0) (i32.const 8)))
        (v128.store offset=32 (local.get $sx) (i16x8.shl (local.get $x1) (i32.const 8)))
        (v128.store offset=48 (local.get $sx) (i16x8.shr_s (local.get $x1) (i32.const 8)))
        (i32.store offset=64 (i32.add (local.get $zero) (i32.shr_u (i32.sub (local.get $sx) (local.get $scr)) (i32.const 4))) (i32.shl (i32.load offset=4 (local.get $xs)) (i32.const 3)))
        (f32.store (i32.add (local.get $ds) (i32.shr_u (i32.sub (local.get $sx) (local.get $scr)) (i32.const 4))) (f32.load (local.get $xs)))
        (local.set $xa (i32.add (local.get $xa) (i32.const 32)))
        (local.set $xs (i32.add (local.get $xs) (i32.const 8)))
        (local.set $sx (i32.add (local.get $sx) (i32.const 64)))
        (br $split)))
    (local.set $p (local.get $w))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $n) (local.get $N)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $sx (local.get $scr))
        (local.set $xs (local.get $ds))
        (local.set $end (i32.add (local.get $ds) (i32.shl (i32.sub (local.get $nb) (local.get $t)) (i32.const 2))))
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.ge_u (local.get $xs) (local.get $end)))
            ;; the four blocks' F16 scales as float32 lanes, converted as widen16 converts them
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u (local.get $p))) (i32.load16_u offset=18 (local.get $p)))
              (i32.load16_u offset=36 (local.get $p))) (i32.load16_u offset=54 (local.get $p))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $d (v128.or (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff)))
              (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $w0 (v128.load offset=2 (local.get $p))) (local.set $w1 (i16x8.shr_u (local.get $w0) (i32.const 4)))
            (local.set $s0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m0)) (v128.load offset=0 (local.get $sx))) (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m1)) (v128.load offset=16 (local.get $sx))))
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m0)) (v128.load offset=32 (local.get $sx))) (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m1)) (v128.load offset=48 (local.get $sx))))))
            (v128.store offset=0 (local.get $sink) (local.get $s0))
            (local.set $w0 (v128.load offset=20 (local.get $p))) (local.set $w1 (i16x8.shr_u (local.get $w0) (i32.const 4)))
            (local.set $s1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m0)) (v128.load offset=64 (local.get $sx))) (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m1)) (v128.load offset=80 (local.get $sx))))
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m0)) (v128.load offset=96 (local.get $sx))) (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m1)) (v128.load offset=112 (local.get $sx))))))
            (v128.store offset=16 (local.get $sink) (local.get $s1))
            (local.set $w0 (v128.load offset=38 (local.get $p))) (local.set $w1 (i16x8.shr_u (local.get $w0) (i32.const 4)))
            (local.set $s2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m0)) (v128.load offset=128 (local.get $sx))) (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m1)) (v128.load offset=144 (local.get $sx))))
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m0)) (v128.load offset=160 (local.get $sx))) (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m1)) (v128.load offset=176 (local.get $sx))))))
            (v128.store offset=32 (local.get $sink) (local.get $s2))
            (local.set $w0 (v128.load offset=56 (local.get $p))) (local.set $w1 (i16x8.shr_u (local.get $w0) (i32.const 4)))
            (local.set $s3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m0)) (v128.load offset=192 (local.get $sx))) (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m1)) (v128.load offset=208 (local.get $sx))))
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m0)) (v128.load offset=224 (local.get $sx))) (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m1)) (v128.load offset=240 (local.get $sx))))))
            ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four blocks' integer sums, by a 4×4 transpose
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
            (local.set $u (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $u))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $u))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.sub (i32x4.shr_s (local.get $v) (i32.const 8)) (v128.load offset=64 (i32.add (local.get $zero) (i32.sub (local.get $xs) (local.get $ds))))))
              (f32x4.mul (local.get $d) (v128.load (local.get $xs))))))
            (local.set $p (i32.add (local.get $p) (i32.const 72)))
            (local.set $sx (i32.add (local.get $sx) (i32.const 256)))
            (local.set $xs (i32.add (local.get $xs) (i32.const 16)))
            (br $quads)))
        (if (local.get $t)
          (then
            (local.set $p1 (i32.add (local.get $p) (select (i32.const 18) (i32.const 0) (i32.gt_u (local.get $t) (i32.const 1)))))
            (local.set $p2 (i32.add (local.get $p) (select (i32.const 36) (i32.mul (i32.sub (local.get $t) (i32.const 1)) (i32.const 18)) (i32.gt_u (local.get $t) (i32.const 2)))))
            (local.set $xp1 (select (i32.add (local.get $sx) (i32.const 64)) (local.get $zero) (i32.gt_u (local.get $t) (i32.const 1))))
            (local.set $xp2 (select (i32.add (local.get $sx) (i32.const 128)) (local.get $zero) (i32.gt_u (local.get $t) (i32.const 2))))
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u (local.get $p))) (i32.load16_u (local.get $p1)))
              (i32.load16_u (local.get $p2))) (i32.load16_u (local.get $p2))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $d (v128.or (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff)))
              (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $w0 (v128.load offset=2 (local.get $p))) (local.set $w1 (i16x8.shr_u (local.get $w0) (i32.const 4)))
            (local.set $s0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m0)) (v128.load offset=0 (local.get $sx))) (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m1)) (v128.load offset=16 (local.get $sx))))
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m0)) (v128.load offset=32 (local.get $sx))) (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m1)) (v128.load offset=48 (local.get $sx))))))
            (v128.store offset=0 (local.get $sink) (local.get $s0))
            (local.set $w0 (v128.load offset=2 (local.get $p1))) (local.set $w1 (i16x8.shr_u (local.get $w0) (i32.const 4)))
            (local.set $s1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m0)) (v128.load offset=0 (local.get $xp1))) (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m1)) (v128.load offset=16 (local.get $xp1))))
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m0)) (v128.load offset=32 (local.get $xp1))) (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m1)) (v128.load offset=48 (local.get $xp1))))))
            (v128.store offset=16 (local.get $sink) (local.get $s1))
            (local.set $w0 (v128.load offset=2 (local.get $p2))) (local.set $w1 (i16x8.shr_u (local.get $w0) (i32.const 4)))
            (local.set $s2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m0)) (v128.load offset=0 (local.get $xp2))) (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m1)) (v128.load offset=16 (local.get $xp2))))
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m0)) (v128.load offset=32 (local.get $xp2))) (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m1)) (v128.load offset=48 (local.get $xp2))))))
            (v128.store offset=32 (local.get $sink) (local.get $s2))
            (local.set $w0 (v128.load offset=2 (local.get $p2))) (local.set $w1 (i16x8.shr_u (local.get $w0) (i32.const 4)))
            (local.set $s3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m0)) (v128.load offset=0 (local.get $zero))) (i32x4.dot_i16x8_s (v128.and (local.get $w0) (local.get $m1)) (v128.load offset=16 (local.get $zero))))
              (i32x4.add (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m0)) (v128.load offset=32 (local.get $zero))) (i32x4.dot_i16x8_s (v128.and (local.get $w1) (local.get $m1)) (v128.load offset=48 (local.get $zero))))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
            (local.set $u (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $u))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $u))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.convert_i32x4_s (i32x4.sub (i32x4.shr_s (local.get $v) (i32.const 8)) (v128.load offset=64 (i32.add (local.get $zero) (i32.sub (local.get $xs) (local.get $ds))))))
              (v128.and (f32x4.mul (local.get $d) (v128.load (local.get $xs))) (i32x4.gt_s (i32x4.splat (local.get $t)) (v128.const i32x4 0 1 2 3))))))
            (local.set $p (i32.add (local.get $p) (i32.mul (local.get $t) (i32.const 18))))))
        (f32.store (local.get $out) (f32.add
          (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
                   (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))
          (f32.load (local.get $b))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $rows))))

  (func $linear_q41 (param $xq i32) (param $xd i32) (param $w i32) (param $bb i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (local $nb i32) (local $rowBytes i32) (local $j i32) (local $i i32) (local $blk i32) (local $last i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $xa i32) (local $xs i32) (local $sc i32) (local $o i32) (local $bj i32) (local $Q i32) (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $qb1 i32) (local $qb2 i32) (local $qb3 i32) (local $sink i32)
    (local $x0 v128) (local $x1 v128) (local $w0 v128) (local $w1 v128) (local $v v128) (local $acc v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $nb (i32.shr_u (local.get $K) (i32.const 5)))
    (local.set $rowBytes (i32.mul (local.get $nb) (local.get $bb)))
    (local.set $last (i32.sub (local.get $N) (i32.const 1)))
    ;; a group's four rows are j + s·Q (s = 0 … 3, Q = ⌈N/4⌉), not neighbours: each of the four
    ;; streams then runs on into the next row, which the prefetcher follows; rows ≥ N repeat row N − 1
    (local.set $Q (i32.shr_u (i32.add (local.get $N) (i32.const 3)) (i32.const 2)))
    (local.set $q1 (local.get $Q)) (local.set $q2 (i32.shl (local.get $Q) (i32.const 1))) (local.set $q3 (i32.mul (local.get $Q) (i32.const 3)))
    (local.set $qb1 (i32.shl (local.get $q1) (i32.const 2))) (local.set $qb2 (i32.shl (local.get $q2) (i32.const 2))) (local.set $qb3 (i32.shl (local.get $q3) (i32.const 2)))
    ;; a sink for each row's sum before the next row's loads (see linear_q8_stream), after the scales and accumulators
    (local.set $sink (i32.add (local.get $scr) (i32.add (i32.shl (local.get $nb) (i32.const 5)) (i32.const 128))))
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.ge_u (local.get $j) (local.get $Q)))
        (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q1)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r2 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q2)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r3 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q3)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))) (local.get $rowBytes))))
        (local.set $blk (i32.const 0))
        (block $scales_done
          (loop $scales
            (br_if $scales_done (i32.ge_u (local.get $blk) (local.get $nb)))
            (local.set $o (i32.mul (local.get $blk) (local.get $bb)))
            ;; the four rows' F16 scales and minimums as float32 lanes, converted as widen16 converts them
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u offset=0 (i32.add (local.get $r0) (local.get $o)))) (i32.load16_u offset=0 (i32.add (local.get $r1) (local.get $o))))
              (i32.load16_u offset=0 (i32.add (local.get $r2) (local.get $o)))) (i32.load16_u offset=0 (i32.add (local.get $r3) (local.get $o)))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $w1 (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))))
            (v128.store offset=0 (i32.add (local.get $scr) (i32.shl (local.get $blk) (i32.const 5)))
              (v128.or (local.get $w1) (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u offset=2 (i32.add (local.get $r0) (local.get $o)))) (i32.load16_u offset=2 (i32.add (local.get $r1) (local.get $o))))
              (i32.load16_u offset=2 (i32.add (local.get $r2) (local.get $o)))) (i32.load16_u offset=2 (i32.add (local.get $r3) (local.get $o)))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $w1 (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))))
            (v128.store offset=16 (i32.add (local.get $scr) (i32.shl (local.get $blk) (i32.const 5)))
              (v128.or (local.get $w1) (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $scales)))
        (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $M)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $xa (i32.add (local.get $xq) (i32.mul (local.get $i) (local.get $K))))
            (local.set $xs (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $i) (local.get $nb)) (i32.const 3))))
            (local.set $sc (local.get $scr))
            (local.set $p0 (local.get $r0)) (local.set $p1 (local.get $r1)) (local.set $p2 (local.get $r2)) (local.set $p3 (local.get $r3))
            (local.set $blk (i32.const 0))
        (block $q41_done
          (loop $q41
            (br_if $q41_done (i32.ge_u (local.get $blk) (local.get $nb)))
            (local.set $x0 (v128.load (local.get $xa)))
            (local.set $x1 (v128.load offset=16 (local.get $xa)))
            (local.set $v (v128.load offset=4 (local.get $p0)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $s0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=0 (local.get $sink) (local.get $s0))
            (local.set $v (v128.load offset=4 (local.get $p1)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $s1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=16 (local.get $sink) (local.get $s1))
            (local.set $v (v128.load offset=4 (local.get $p2)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $s2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=32 (local.get $sink) (local.get $s2))
            (local.set $v (v128.load offset=4 (local.get $p3)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $s3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
            (local.set $w0 (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $w0))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $w0))))
            ;; Σ (d·q + m)·x = d·Σ q·x + m·Σ x, times x's scale
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.splat (f32.load (local.get $xs)))
              (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (local.get $v)) (v128.load (local.get $sc)))
                (f32x4.mul (v128.load offset=16 (local.get $sc)) (f32x4.splat (f32.convert_i32_s (i32.load offset=4 (local.get $xs)))))))))
            (local.set $xa (i32.add (local.get $xa) (i32.const 32)))
            (local.set $xs (i32.add (local.get $xs) (i32.const 8)))
            (local.set $sc (i32.add (local.get $sc) (i32.const 32)))
            (local.set $p0 (i32.add (local.get $p0) (local.get $bb)))
            (local.set $p1 (i32.add (local.get $p1) (local.get $bb)))
            (local.set $p2 (i32.add (local.get $p2) (local.get $bb)))
            (local.set $p3 (i32.add (local.get $p3) (local.get $bb)))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $q41)))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldo)) (local.get $j)) (i32.const 2))))
        (if (i32.lt_u (i32.add (local.get $j) (i32.const 0)) (local.get $N))
          (then (f32.store offset=0 (local.get $o) (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32.load offset=0 (local.get $bj))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb1)) (f32.add (f32x4.extract_lane 1 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb1)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb2)) (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb2)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb3)) (f32.add (f32x4.extract_lane 3 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb3)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $groups))))

  ;; an F16 value (its bits the low 16 of h) as float32, converted as widen16 converts it
  (func $half (param $h i32) (result f32)
    (local $v v128) (local $mag v128) (local $f v128)
    (local.set $v (i32x4.splat (local.get $h)))
    (local.set $mag (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
    (local.set $f (f32x4.mul (local.get $mag) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
    (local.set $f (v128.bitselect (v128.or (local.get $mag) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $f)
      (i32x4.gt_s (local.get $mag) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))))
    (f32x4.extract_lane 0 (v128.or (local.get $f) (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16)))))

  ;; Q4_K's and Q5_K's super-block header at p (F16 d, dmin, 12 bytes of 6-bit scales and minimums,
  ;; as get_scale_min_k4 reads them) as one row's lane of scr: for sub-block t, d·sc at dst + 32t and
  ;; −dmin·m at dst + 32t + 16 (dst already offset by the row's lane)
  (func $kScaleMins (param $p i32) (param $dst i32)
    (local $d f32) (local $dmin f32)
    (local.set $d (call $half (i32.load16_u (local.get $p))))
    (local.set $dmin (call $half (i32.load16_u offset=2 (local.get $p))))
    (f32.store offset=0 (local.get $dst) (f32.mul (local.get $d) (f32.convert_i32_u (i32.and (i32.load8_u offset=4 (local.get $p)) (i32.const 63)))))
    (f32.store offset=16 (local.get $dst) (f32.neg (f32.mul (local.get $dmin) (f32.convert_i32_u (i32.and (i32.load8_u offset=8 (local.get $p)) (i32.const 63))))))
    (f32.store offset=32 (local.get $dst) (f32.mul (local.get $d) (f32.convert_i32_u (i32.and (i32.load8_u offset=5 (local.get $p)) (i32.const 63)))))
    (f32.store offset=48 (local.get $dst) (f32.neg (f32.mul (local.get $dmin) (f32.convert_i32_u (i32.and (i32.load8_u offset=9 (local.get $p)) (i32.const 63))))))
    (f32.store offset=64 (local.get $dst) (f32.mul (local.get $d) (f32.convert_i32_u (i32.and (i32.load8_u offset=6 (local.get $p)) (i32.const 63)))))
    (f32.store offset=80 (local.get $dst) (f32.neg (f32.mul (local.get $dmin) (f32.convert_i32_u (i32.and (i32.load8_u offset=10 (local.get $p)) (i32.const 63))))))
    (f32.store offset=96 (local.get $dst) (f32.mul (local.get $d) (f32.convert_i32_u (i32.and (i32.load8_u offset=7 (local.get $p)) (i32.const 63)))))
    (f32.store offset=112 (local.get $dst) (f32.neg (f32.mul (local.get $dmin) (f32.convert_i32_u (i32.and (i32.load8_u offset=11 (local.get $p)) (i32.const 63))))))
    (f32.store offset=128 (local.get $dst) (f32.mul (local.get $d) (f32.convert_i32_u (i32.or (i32.and (i32.load8_u offset=12 (local.get $p)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=4 (local.get $p)) (i32.const 6)) (i32.const 4))))))
    (f32.store offset=144 (local.get $dst) (f32.neg (f32.mul (local.get $dmin) (f32.convert_i32_u (i32.or (i32.shr_u (i32.load8_u offset=12 (local.get $p)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=8 (local.get $p)) (i32.const 6)) (i32.const 4)))))))
    (f32.store offset=160 (local.get $dst) (f32.mul (local.get $d) (f32.convert_i32_u (i32.or (i32.and (i32.load8_u offset=13 (local.get $p)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=5 (local.get $p)) (i32.const 6)) (i32.const 4))))))
    (f32.store offset=176 (local.get $dst) (f32.neg (f32.mul (local.get $dmin) (f32.convert_i32_u (i32.or (i32.shr_u (i32.load8_u offset=13 (local.get $p)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=9 (local.get $p)) (i32.const 6)) (i32.const 4)))))))
    (f32.store offset=192 (local.get $dst) (f32.mul (local.get $d) (f32.convert_i32_u (i32.or (i32.and (i32.load8_u offset=14 (local.get $p)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=6 (local.get $p)) (i32.const 6)) (i32.const 4))))))
    (f32.store offset=208 (local.get $dst) (f32.neg (f32.mul (local.get $dmin) (f32.convert_i32_u (i32.or (i32.shr_u (i32.load8_u offset=14 (local.get $p)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=10 (local.get $p)) (i32.const 6)) (i32.const 4)))))))
    (f32.store offset=224 (local.get $dst) (f32.mul (local.get $d) (f32.convert_i32_u (i32.or (i32.and (i32.load8_u offset=15 (local.get $p)) (i32.const 15)) (i32.shl (i32.shr_u (i32.load8_u offset=7 (local.get $p)) (i32.const 6)) (i32.const 4))))))
    (f32.store offset=240 (local.get $dst) (f32.neg (f32.mul (local.get $dmin) (f32.convert_i32_u (i32.or (i32.shr_u (i32.load8_u offset=15 (local.get $p)) (i32.const 4)) (i32.shl (i32.shr_u (i32.load8_u offset=11 (local.get $p)) (i32.const 6)) (i32.const 4))))))))

  ;; Q6_K's F16 d (bytes 208, 209) as one row's lane of scr (its int8 sub-block scales are read in the loop)
  (func $kScale6d (param $p i32) (param $dst i32)
    (f32.store (local.get $dst) (call $half (i32.load16_u offset=208 (local.get $p)))))

  (func $linear_q4k (param $xq i32) (param $xd i32) (param $w i32) (param $bb i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (local $ns i32) (local $nb i32) (local $rowBytes i32) (local $j i32) (local $i i32) (local $s i32) (local $g i32) (local $last i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $xa i32) (local $xs i32) (local $sc i32) (local $o i32) (local $bj i32) (local $Q i32) (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $qb1 i32) (local $qb2 i32) (local $qb3 i32) (local $sink i32) (local $sh i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $w0 v128) (local $w1 v128) (local $h0 v128) (local $h1 v128)
    (local $v v128) (local $t v128) (local $acc v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $ns (i32.shr_u (local.get $K) (i32.const 8)))
    (local.set $nb (i32.shr_u (local.get $K) (i32.const 5)))
    (local.set $rowBytes (i32.mul (local.get $ns) (local.get $bb)))
    (local.set $last (i32.sub (local.get $N) (i32.const 1)))
    ;; a group's four rows are j + s·Q (s = 0 … 3, Q = ⌈N/4⌉), not neighbours: each of the four
    ;; streams then runs on into the next row, which the prefetcher follows; rows ≥ N repeat row N − 1
    (local.set $Q (i32.shr_u (i32.add (local.get $N) (i32.const 3)) (i32.const 2)))
    (local.set $q1 (local.get $Q)) (local.set $q2 (i32.shl (local.get $Q) (i32.const 1))) (local.set $q3 (i32.mul (local.get $Q) (i32.const 3)))
    (local.set $qb1 (i32.shl (local.get $q1) (i32.const 2))) (local.set $qb2 (i32.shl (local.get $q2) (i32.const 2))) (local.set $qb3 (i32.shl (local.get $q3) (i32.const 2)))
    ;; a sink for each row's sum before the next row's loads (see linear_q8_stream), after the scales
    (local.set $sink (i32.add (local.get $scr) (i32.add (i32.shl (local.get $nb) (i32.const 5)) (i32.const 128))))
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.ge_u (local.get $j) (local.get $Q)))
        (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q1)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r2 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q2)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r3 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q3)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))) (local.get $rowBytes))))
        (local.set $s (i32.const 0))
        (block $scales_done
          (loop $scales
            (br_if $scales_done (i32.ge_u (local.get $s) (local.get $ns)))
            (local.set $o (i32.mul (local.get $s) (local.get $bb)))
            (call $kScaleMins (i32.add (local.get $r0) (local.get $o)) (i32.add (local.get $scr) (i32.shl (local.get $s) (i32.const 8))))
            (call $kScaleMins (i32.add (local.get $r1) (local.get $o)) (i32.add (local.get $scr) (i32.add (i32.shl (local.get $s) (i32.const 8)) (i32.const 4))))
            (call $kScaleMins (i32.add (local.get $r2) (local.get $o)) (i32.add (local.get $scr) (i32.add (i32.shl (local.get $s) (i32.const 8)) (i32.const 8))))
            (call $kScaleMins (i32.add (local.get $r3) (local.get $o)) (i32.add (local.get $scr) (i32.add (i32.shl (local.get $s) (i32.const 8)) (i32.const 12))))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $scales)))
        (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $M)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $xa (i32.add (local.get $xq) (i32.mul (local.get $i) (local.get $K))))
            (local.set $xs (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $i) (local.get $nb)) (i32.const 3))))
            (local.set $sc (local.get $scr))
            (local.set $s (i32.const 0))
            (block $sb_done
              (loop $sb
                (br_if $sb_done (i32.ge_u (local.get $s) (local.get $ns)))
                (local.set $o (i32.mul (local.get $s) (local.get $bb)))
                (local.set $p0 (i32.add (local.get $r0) (local.get $o))) (local.set $p1 (i32.add (local.get $r1) (local.get $o)))
                (local.set $p2 (i32.add (local.get $r2) (local.get $o))) (local.set $p3 (i32.add (local.get $r3) (local.get $o)))
                (local.set $g (i32.const 0))
                (loop $pairs
                  (local.set $x0 (v128.load (local.get $xa))) (local.set $x1 (v128.load offset=16 (local.get $xa)))
                  (local.set $x2 (v128.load offset=32 (local.get $xa))) (local.set $x3 (v128.load offset=48 (local.get $xa)))
                  (local.set $v (v128.load offset=16 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=32 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (local.set $w1 (v128.and (local.get $t) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                  (local.set $s0 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
                  (v128.store offset=0 (local.get $sink) (local.get $s0))
                  (local.set $v (v128.load offset=16 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=32 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (local.set $w1 (v128.and (local.get $t) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                  (local.set $s1 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
                  (v128.store offset=16 (local.get $sink) (local.get $s1))
                  (local.set $v (v128.load offset=16 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=32 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (local.set $w1 (v128.and (local.get $t) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                  (local.set $s2 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
                  (v128.store offset=32 (local.get $sink) (local.get $s2))
                  (local.set $v (v128.load offset=16 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=32 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (local.set $w1 (v128.and (local.get $t) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                  (local.set $s3 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
                  ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
                  (local.set $t (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $t))
                    (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $t))))
                  ;; Σ (d·sc·q − dmin·m)·x = d·sc·Σ q·x − dmin·m·Σ x, times x's scale
                  (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.splat (f32.load offset=0 (local.get $xs)))
                    (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (local.get $v)) (v128.load offset=0 (local.get $sc)))
                      (f32x4.mul (v128.load offset=16 (local.get $sc)) (f32x4.splat (f32.convert_i32_s (i32.load offset=4 (local.get $xs)))))))))
                  (local.set $v (v128.load offset=16 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=32 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (i8x16.shr_u (local.get $v) (i32.const 4))) (local.set $w1 (i8x16.shr_u (local.get $t) (i32.const 4)))
                  (local.set $s0 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x2))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x2)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x3))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x3))))))
                  (v128.store offset=0 (local.get $sink) (local.get $s0))
                  (local.set $v (v128.load offset=16 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=32 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (i8x16.shr_u (local.get $v) (i32.const 4))) (local.set $w1 (i8x16.shr_u (local.get $t) (i32.const 4)))
                  (local.set $s1 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x2))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x2)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x3))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x3))))))
                  (v128.store offset=16 (local.get $sink) (local.get $s1))
                  (local.set $v (v128.load offset=16 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=32 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (i8x16.shr_u (local.get $v) (i32.const 4))) (local.set $w1 (i8x16.shr_u (local.get $t) (i32.const 4)))
                  (local.set $s2 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x2))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x2)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x3))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x3))))))
                  (v128.store offset=32 (local.get $sink) (local.get $s2))
                  (local.set $v (v128.load offset=16 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=32 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (i8x16.shr_u (local.get $v) (i32.const 4))) (local.set $w1 (i8x16.shr_u (local.get $t) (i32.const 4)))
                  (local.set $s3 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x2))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x2)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x3))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x3))))))
                  ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
                  (local.set $t (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $t))
                    (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $t))))
                  ;; Σ (d·sc·q − dmin·m)·x = d·sc·Σ q·x − dmin·m·Σ x, times x's scale
                  (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.splat (f32.load offset=8 (local.get $xs)))
                    (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (local.get $v)) (v128.load offset=32 (local.get $sc)))
                      (f32x4.mul (v128.load offset=48 (local.get $sc)) (f32x4.splat (f32.convert_i32_s (i32.load offset=12 (local.get $xs)))))))))
                  (local.set $xa (i32.add (local.get $xa) (i32.const 64)))
                  (local.set $xs (i32.add (local.get $xs) (i32.const 16)))
                  (local.set $sc (i32.add (local.get $sc) (i32.const 64)))
                  (local.set $g (i32.add (local.get $g) (i32.const 1)))
                  (br_if $pairs (i32.lt_u (local.get $g) (i32.const 4))))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $sb)))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldo)) (local.get $j)) (i32.const 2))))
        (if (i32.lt_u (i32.add (local.get $j) (i32.const 0)) (local.get $N))
          (then (f32.store offset=0 (local.get $o) (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32.load offset=0 (local.get $bj))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb1)) (f32.add (f32x4.extract_lane 1 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb1)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb2)) (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb2)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb3)) (f32.add (f32x4.extract_lane 3 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb3)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $groups))))

  (func $linear_q5k (param $xq i32) (param $xd i32) (param $w i32) (param $bb i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (local $ns i32) (local $nb i32) (local $rowBytes i32) (local $j i32) (local $i i32) (local $s i32) (local $g i32) (local $last i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $xa i32) (local $xs i32) (local $sc i32) (local $o i32) (local $bj i32) (local $Q i32) (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $qb1 i32) (local $qb2 i32) (local $qb3 i32) (local $sink i32) (local $sh i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $w0 v128) (local $w1 v128) (local $h0 v128) (local $h1 v128)
    (local $v v128) (local $t v128) (local $acc v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $ns (i32.shr_u (local.get $K) (i32.const 8)))
    (local.set $nb (i32.shr_u (local.get $K) (i32.const 5)))
    (local.set $rowBytes (i32.mul (local.get $ns) (local.get $bb)))
    (local.set $last (i32.sub (local.get $N) (i32.const 1)))
    ;; a group's four rows are j + s·Q (s = 0 … 3, Q = ⌈N/4⌉), not neighbours: each of the four
    ;; streams then runs on into the next row, which the prefetcher follows; rows ≥ N repeat row N − 1
    (local.set $Q (i32.shr_u (i32.add (local.get $N) (i32.const 3)) (i32.const 2)))
    (local.set $q1 (local.get $Q)) (local.set $q2 (i32.shl (local.get $Q) (i32.const 1))) (local.set $q3 (i32.mul (local.get $Q) (i32.const 3)))
    (local.set $qb1 (i32.shl (local.get $q1) (i32.const 2))) (local.set $qb2 (i32.shl (local.get $q2) (i32.const 2))) (local.set $qb3 (i32.shl (local.get $q3) (i32.const 2)))
    ;; a sink for each row's sum before the next row's loads (see linear_q8_stream), after the scales
    (local.set $sink (i32.add (local.get $scr) (i32.add (i32.shl (local.get $nb) (i32.const 5)) (i32.const 128))))
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.ge_u (local.get $j) (local.get $Q)))
        (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q1)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r2 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q2)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r3 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q3)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))) (local.get $rowBytes))))
        (local.set $s (i32.const 0))
        (block $scales_done
          (loop $scales
            (br_if $scales_done (i32.ge_u (local.get $s) (local.get $ns)))
            (local.set $o (i32.mul (local.get $s) (local.get $bb)))
            (call $kScaleMins (i32.add (local.get $r0) (local.get $o)) (i32.add (local.get $scr) (i32.shl (local.get $s) (i32.const 8))))
            (call $kScaleMins (i32.add (local.get $r1) (local.get $o)) (i32.add (local.get $scr) (i32.add (i32.shl (local.get $s) (i32.const 8)) (i32.const 4))))
            (call $kScaleMins (i32.add (local.get $r2) (local.get $o)) (i32.add (local.get $scr) (i32.add (i32.shl (local.get $s) (i32.const 8)) (i32.const 8))))
            (call $kScaleMins (i32.add (local.get $r3) (local.get $o)) (i32.add (local.get $scr) (i32.add (i32.shl (local.get $s) (i32.const 8)) (i32.const 12))))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $scales)))
        (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $M)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $xa (i32.add (local.get $xq) (i32.mul (local.get $i) (local.get $K))))
            (local.set $xs (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $i) (local.get $nb)) (i32.const 3))))
            (local.set $sc (local.get $scr))
            (local.set $s (i32.const 0))
            (block $sb_done
              (loop $sb
                (br_if $sb_done (i32.ge_u (local.get $s) (local.get $ns)))
                (local.set $o (i32.mul (local.get $s) (local.get $bb)))
                (local.set $p0 (i32.add (local.get $r0) (local.get $o))) (local.set $p1 (i32.add (local.get $r1) (local.get $o)))
                (local.set $p2 (i32.add (local.get $r2) (local.get $o))) (local.set $p3 (i32.add (local.get $r3) (local.get $o)))
                (local.set $g (i32.const 0))
                (loop $pairs
                  (local.set $x0 (v128.load (local.get $xa))) (local.set $x1 (v128.load offset=16 (local.get $xa)))
                  (local.set $x2 (v128.load offset=32 (local.get $xa))) (local.set $x3 (v128.load offset=48 (local.get $xa)))
                  (local.set $sh (i32.shl (local.get $g) (i32.const 1)))
                  (local.set $v (v128.load offset=48 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=64 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (local.set $w1 (v128.and (local.get $t) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                  (local.set $h0 (v128.load offset=16 (local.get $p0))) (local.set $h1 (v128.load offset=32 (local.get $p0)))
                  (local.set $w0 (v128.or (local.get $w0) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h0) (local.get $sh)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $w1 (v128.or (local.get $w1) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h1) (local.get $sh)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $s0 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
                  (v128.store offset=0 (local.get $sink) (local.get $s0))
                  (local.set $v (v128.load offset=48 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=64 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (local.set $w1 (v128.and (local.get $t) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                  (local.set $h0 (v128.load offset=16 (local.get $p1))) (local.set $h1 (v128.load offset=32 (local.get $p1)))
                  (local.set $w0 (v128.or (local.get $w0) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h0) (local.get $sh)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $w1 (v128.or (local.get $w1) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h1) (local.get $sh)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $s1 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
                  (v128.store offset=16 (local.get $sink) (local.get $s1))
                  (local.set $v (v128.load offset=48 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=64 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (local.set $w1 (v128.and (local.get $t) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                  (local.set $h0 (v128.load offset=16 (local.get $p2))) (local.set $h1 (v128.load offset=32 (local.get $p2)))
                  (local.set $w0 (v128.or (local.get $w0) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h0) (local.get $sh)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $w1 (v128.or (local.get $w1) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h1) (local.get $sh)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $s2 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
                  (v128.store offset=32 (local.get $sink) (local.get $s2))
                  (local.set $v (v128.load offset=48 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=64 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))) (local.set $w1 (v128.and (local.get $t) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
                  (local.set $h0 (v128.load offset=16 (local.get $p3))) (local.set $h1 (v128.load offset=32 (local.get $p3)))
                  (local.set $w0 (v128.or (local.get $w0) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h0) (local.get $sh)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $w1 (v128.or (local.get $w1) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h1) (local.get $sh)) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $s3 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
                  ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
                  (local.set $t (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $t))
                    (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $t))))
                  ;; Σ (d·sc·q − dmin·m)·x = d·sc·Σ q·x − dmin·m·Σ x, times x's scale
                  (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.splat (f32.load offset=0 (local.get $xs)))
                    (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (local.get $v)) (v128.load offset=0 (local.get $sc)))
                      (f32x4.mul (v128.load offset=16 (local.get $sc)) (f32x4.splat (f32.convert_i32_s (i32.load offset=4 (local.get $xs)))))))))
                  (local.set $v (v128.load offset=48 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=64 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (i8x16.shr_u (local.get $v) (i32.const 4))) (local.set $w1 (i8x16.shr_u (local.get $t) (i32.const 4)))
                  (local.set $h0 (v128.load offset=16 (local.get $p0))) (local.set $h1 (v128.load offset=32 (local.get $p0)))
                  (local.set $w0 (v128.or (local.get $w0) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h0) (i32.add (local.get $sh) (i32.const 1))) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $w1 (v128.or (local.get $w1) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h1) (i32.add (local.get $sh) (i32.const 1))) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $s0 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x2))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x2)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x3))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x3))))))
                  (v128.store offset=0 (local.get $sink) (local.get $s0))
                  (local.set $v (v128.load offset=48 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=64 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (i8x16.shr_u (local.get $v) (i32.const 4))) (local.set $w1 (i8x16.shr_u (local.get $t) (i32.const 4)))
                  (local.set $h0 (v128.load offset=16 (local.get $p1))) (local.set $h1 (v128.load offset=32 (local.get $p1)))
                  (local.set $w0 (v128.or (local.get $w0) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h0) (i32.add (local.get $sh) (i32.const 1))) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $w1 (v128.or (local.get $w1) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h1) (i32.add (local.get $sh) (i32.const 1))) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $s1 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x2))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x2)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x3))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x3))))))
                  (v128.store offset=16 (local.get $sink) (local.get $s1))
                  (local.set $v (v128.load offset=48 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=64 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (i8x16.shr_u (local.get $v) (i32.const 4))) (local.set $w1 (i8x16.shr_u (local.get $t) (i32.const 4)))
                  (local.set $h0 (v128.load offset=16 (local.get $p2))) (local.set $h1 (v128.load offset=32 (local.get $p2)))
                  (local.set $w0 (v128.or (local.get $w0) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h0) (i32.add (local.get $sh) (i32.const 1))) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $w1 (v128.or (local.get $w1) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h1) (i32.add (local.get $sh) (i32.const 1))) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $s2 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x2))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x2)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x3))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x3))))))
                  (v128.store offset=32 (local.get $sink) (local.get $s2))
                  (local.set $v (v128.load offset=48 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 5))))) (local.set $t (v128.load offset=64 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 5)))))
                  (local.set $w0 (i8x16.shr_u (local.get $v) (i32.const 4))) (local.set $w1 (i8x16.shr_u (local.get $t) (i32.const 4)))
                  (local.set $h0 (v128.load offset=16 (local.get $p3))) (local.set $h1 (v128.load offset=32 (local.get $p3)))
                  (local.set $w0 (v128.or (local.get $w0) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h0) (i32.add (local.get $sh) (i32.const 1))) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $w1 (v128.or (local.get $w1) (i8x16.shl (v128.and (i8x16.shr_u (local.get $h1) (i32.add (local.get $sh) (i32.const 1))) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 4))))
                  (local.set $s3 (i32x4.add (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x2))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x2)))) (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x3))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x3))))))
                  ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
                  (local.set $t (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $t))
                    (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $t))))
                  ;; Σ (d·sc·q − dmin·m)·x = d·sc·Σ q·x − dmin·m·Σ x, times x's scale
                  (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.splat (f32.load offset=8 (local.get $xs)))
                    (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (local.get $v)) (v128.load offset=32 (local.get $sc)))
                      (f32x4.mul (v128.load offset=48 (local.get $sc)) (f32x4.splat (f32.convert_i32_s (i32.load offset=12 (local.get $xs)))))))))
                  (local.set $xa (i32.add (local.get $xa) (i32.const 64)))
                  (local.set $xs (i32.add (local.get $xs) (i32.const 16)))
                  (local.set $sc (i32.add (local.get $sc) (i32.const 64)))
                  (local.set $g (i32.add (local.get $g) (i32.const 1)))
                  (br_if $pairs (i32.lt_u (local.get $g) (i32.const 4))))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $sb)))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldo)) (local.get $j)) (i32.const 2))))
        (if (i32.lt_u (i32.add (local.get $j) (i32.const 0)) (local.get $N))
          (then (f32.store offset=0 (local.get $o) (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32.load offset=0 (local.get $bj))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb1)) (f32.add (f32x4.extract_lane 1 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb1)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb2)) (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb2)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb3)) (f32.add (f32x4.extract_lane 3 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb3)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $groups))))

  (func $linear_q6k (param $xq i32) (param $xd i32) (param $w i32) (param $bb i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (local $ns i32) (local $nb i32) (local $rowBytes i32) (local $j i32) (local $i i32) (local $s i32) (local $g i32) (local $last i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $xa i32) (local $xs i32) (local $sc i32) (local $o i32) (local $bj i32) (local $Q i32) (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $qb1 i32) (local $qb2 i32) (local $qb3 i32) (local $sink i32) (local $sh i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $w0 v128) (local $w1 v128) (local $h0 v128) (local $h1 v128)
    (local $v v128) (local $t v128) (local $acc v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $ns (i32.shr_u (local.get $K) (i32.const 8)))
    (local.set $nb (i32.shr_u (local.get $K) (i32.const 5)))
    (local.set $rowBytes (i32.mul (local.get $ns) (local.get $bb)))
    (local.set $last (i32.sub (local.get $N) (i32.const 1)))
    ;; a group's four rows are j + s·Q (s = 0 … 3, Q = ⌈N/4⌉), not neighbours: each of the four
    ;; streams then runs on into the next row, which the prefetcher follows; rows ≥ N repeat row N − 1
    (local.set $Q (i32.shr_u (i32.add (local.get $N) (i32.const 3)) (i32.const 2)))
    (local.set $q1 (local.get $Q)) (local.set $q2 (i32.shl (local.get $Q) (i32.const 1))) (local.set $q3 (i32.mul (local.get $Q) (i32.const 3)))
    (local.set $qb1 (i32.shl (local.get $q1) (i32.const 2))) (local.set $qb2 (i32.shl (local.get $q2) (i32.const 2))) (local.set $qb3 (i32.shl (local.get $q3) (i32.const 2)))
    ;; a sink for each row's sum before the next row's loads (see linear_q8_stream), after the scales
    (local.set $sink (i32.add (local.get $scr) (i32.add (i32.shl (local.get $nb) (i32.const 5)) (i32.const 128))))
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.ge_u (local.get $j) (local.get $Q)))
        (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q1)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r2 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q2)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r3 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q3)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))) (local.get $rowBytes))))
        (local.set $s (i32.const 0))
        (block $scales_done
          (loop $scales
            (br_if $scales_done (i32.ge_u (local.get $s) (local.get $ns)))
            (local.set $o (i32.mul (local.get $s) (local.get $bb)))
            (call $kScale6d (i32.add (local.get $r0) (local.get $o)) (i32.add (local.get $scr) (i32.shl (local.get $s) (i32.const 4))))
            (call $kScale6d (i32.add (local.get $r1) (local.get $o)) (i32.add (local.get $scr) (i32.add (i32.shl (local.get $s) (i32.const 4)) (i32.const 4))))
            (call $kScale6d (i32.add (local.get $r2) (local.get $o)) (i32.add (local.get $scr) (i32.add (i32.shl (local.get $s) (i32.const 4)) (i32.const 8))))
            (call $kScale6d (i32.add (local.get $r3) (local.get $o)) (i32.add (local.get $scr) (i32.add (i32.shl (local.get $s) (i32.const 4)) (i32.const 12))))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $scales)))
        (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $M)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $xa (i32.add (local.get $xq) (i32.mul (local.get $i) (local.get $K))))
            (local.set $xs (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $i) (local.get $nb)) (i32.const 3))))
            (local.set $sc (local.get $scr))
            (local.set $s (i32.const 0))
            (block $sb_done
              (loop $sb
                (br_if $sb_done (i32.ge_u (local.get $s) (local.get $ns)))
                (local.set $o (i32.mul (local.get $s) (local.get $bb)))
                (local.set $p0 (i32.add (local.get $r0) (local.get $o))) (local.set $p1 (i32.add (local.get $r1) (local.get $o)))
                (local.set $p2 (i32.add (local.get $r2) (local.get $o))) (local.set $p3 (i32.add (local.get $r3) (local.get $o)))
                (local.set $g (i32.const 0))
                (loop $pairs
                  (local.set $sh (i32.shl (i32.shr_u (local.get $g) (i32.const 1)) (i32.const 6)))  ;; 64·h: this half's low-nibble bytes
                  (local.set $x0 (v128.load offset=0 (local.get $xa))) (local.set $x1 (v128.load offset=16 (local.get $xa)))
                  (local.set $w0 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=0 (i32.add (local.get $p0) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=128 (i32.add (local.get $p0) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 0)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $w1 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=16 (i32.add (local.get $p0) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=144 (i32.add (local.get $p0) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 0)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $s0 (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.splat (i32.load8_s offset=192 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 2)))))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1)))) (i32x4.splat (i32.load8_s offset=193 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 2))))))))
                  (v128.store offset=0 (local.get $sink) (local.get $s0))
                  (local.set $w0 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=0 (i32.add (local.get $p1) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=128 (i32.add (local.get $p1) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 0)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $w1 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=16 (i32.add (local.get $p1) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=144 (i32.add (local.get $p1) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 0)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $s1 (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.splat (i32.load8_s offset=192 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 2)))))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1)))) (i32x4.splat (i32.load8_s offset=193 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 2))))))))
                  (v128.store offset=16 (local.get $sink) (local.get $s1))
                  (local.set $w0 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=0 (i32.add (local.get $p2) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=128 (i32.add (local.get $p2) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 0)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $w1 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=16 (i32.add (local.get $p2) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=144 (i32.add (local.get $p2) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 0)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $s2 (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.splat (i32.load8_s offset=192 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 2)))))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1)))) (i32x4.splat (i32.load8_s offset=193 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 2))))))))
                  (v128.store offset=32 (local.get $sink) (local.get $s2))
                  (local.set $w0 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=0 (i32.add (local.get $p3) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=128 (i32.add (local.get $p3) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 0)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $w1 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=16 (i32.add (local.get $p3) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=144 (i32.add (local.get $p3) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 0)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $s3 (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.splat (i32.load8_s offset=192 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 2)))))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1)))) (i32x4.splat (i32.load8_s offset=193 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 2))))))))
                  ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
                  (local.set $t (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $t))
                    (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $t))))
                  ;; Σ d·sc·(q − 32)·x: the sub-block scales taken in the integer sums, then d (per row) times x's scale
                  (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.convert_i32x4_s (local.get $v))
                    (f32x4.mul (v128.load (local.get $sc)) (f32x4.splat (f32.load offset=0 (local.get $xs)))))))
                  (local.set $x0 (v128.load offset=32 (local.get $xa))) (local.set $x1 (v128.load offset=48 (local.get $xa)))
                  (local.set $w0 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=32 (i32.add (local.get $p0) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=128 (i32.add (local.get $p0) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 1)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $w1 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=48 (i32.add (local.get $p0) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=144 (i32.add (local.get $p0) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 1)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $s0 (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.splat (i32.load8_s offset=194 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 2)))))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1)))) (i32x4.splat (i32.load8_s offset=195 (i32.add (local.get $p0) (i32.shl (local.get $g) (i32.const 2))))))))
                  (v128.store offset=0 (local.get $sink) (local.get $s0))
                  (local.set $w0 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=32 (i32.add (local.get $p1) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=128 (i32.add (local.get $p1) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 1)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $w1 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=48 (i32.add (local.get $p1) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=144 (i32.add (local.get $p1) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 1)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $s1 (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.splat (i32.load8_s offset=194 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 2)))))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1)))) (i32x4.splat (i32.load8_s offset=195 (i32.add (local.get $p1) (i32.shl (local.get $g) (i32.const 2))))))))
                  (v128.store offset=16 (local.get $sink) (local.get $s1))
                  (local.set $w0 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=32 (i32.add (local.get $p2) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=128 (i32.add (local.get $p2) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 1)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $w1 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=48 (i32.add (local.get $p2) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=144 (i32.add (local.get $p2) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 1)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $s2 (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.splat (i32.load8_s offset=194 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 2)))))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1)))) (i32x4.splat (i32.load8_s offset=195 (i32.add (local.get $p2) (i32.shl (local.get $g) (i32.const 2))))))))
                  (v128.store offset=32 (local.get $sink) (local.get $s2))
                  (local.set $w0 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=32 (i32.add (local.get $p3) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=128 (i32.add (local.get $p3) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 1)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $w1 (i8x16.sub (v128.or (v128.and (i8x16.shr_u (v128.load offset=48 (i32.add (local.get $p3) (local.get $sh))) (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 2))) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
                    (i8x16.shl (v128.and (i8x16.shr_u (v128.load offset=144 (i32.add (local.get $p3) (i32.shr_u (local.get $sh) (i32.const 1)))) (i32.shl (i32.add (i32.shl (i32.and (local.get $g) (i32.const 1)) (i32.const 1)) (i32.const 1)) (i32.const 1))) (v128.const i8x16 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3)) (i32.const 4))) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
                  (local.set $s3 (i32x4.add (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0)))) (i32x4.splat (i32.load8_s offset=194 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 2)))))) (i32x4.mul (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1)))) (i32x4.splat (i32.load8_s offset=195 (i32.add (local.get $p3) (i32.shl (local.get $g) (i32.const 2))))))))
                  ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
                  (local.set $t (i32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
                  (local.set $v (i32x4.add
                    (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $t))
                    (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $t))))
                  ;; Σ d·sc·(q − 32)·x: the sub-block scales taken in the integer sums, then d (per row) times x's scale
                  (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.convert_i32x4_s (local.get $v))
                    (f32x4.mul (v128.load (local.get $sc)) (f32x4.splat (f32.load offset=8 (local.get $xs)))))))
                  (local.set $xa (i32.add (local.get $xa) (i32.const 64)))
                  (local.set $xs (i32.add (local.get $xs) (i32.const 16)))
                  (local.set $g (i32.add (local.get $g) (i32.const 1)))
                  (br_if $pairs (i32.lt_u (local.get $g) (i32.const 4))))
                (local.set $sc (i32.add (local.get $sc) (i32.const 16)))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $sb)))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldo)) (local.get $j)) (i32.const 2))))
        (if (i32.lt_u (i32.add (local.get $j) (i32.const 0)) (local.get $N))
          (then (f32.store offset=0 (local.get $o) (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32.load offset=0 (local.get $bj))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb1)) (f32.add (f32x4.extract_lane 1 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb1)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb2)) (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb2)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb3)) (f32.add (f32x4.extract_lane 3 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb3)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $groups))))

  (func $linear_q5 (param $xq i32) (param $xd i32) (param $w i32) (param $bb i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (local $nb i32) (local $rowBytes i32) (local $j i32) (local $i i32) (local $blk i32) (local $last i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $xa i32) (local $xs i32) (local $sc i32) (local $o i32) (local $bj i32) (local $Q i32) (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $qb1 i32) (local $qb2 i32) (local $qb3 i32) (local $sink i32)
    (local $x0 v128) (local $x1 v128) (local $w0 v128) (local $w1 v128) (local $v v128) (local $h v128) (local $acc v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $nb (i32.shr_u (local.get $K) (i32.const 5)))
    (local.set $rowBytes (i32.mul (local.get $nb) (local.get $bb)))
    (local.set $last (i32.sub (local.get $N) (i32.const 1)))
    ;; a group's four rows are j + s·Q (s = 0 … 3, Q = ⌈N/4⌉), not neighbours: each of the four
    ;; streams then runs on into the next row, which the prefetcher follows; rows ≥ N repeat row N − 1
    (local.set $Q (i32.shr_u (i32.add (local.get $N) (i32.const 3)) (i32.const 2)))
    (local.set $q1 (local.get $Q)) (local.set $q2 (i32.shl (local.get $Q) (i32.const 1))) (local.set $q3 (i32.mul (local.get $Q) (i32.const 3)))
    (local.set $qb1 (i32.shl (local.get $q1) (i32.const 2))) (local.set $qb2 (i32.shl (local.get $q2) (i32.const 2))) (local.set $qb3 (i32.shl (local.get $q3) (i32.const 2)))
    ;; a sink for each row's sum before the next row's loads (see linear_q8_stream), after the scales and accumulators
    (local.set $sink (i32.add (local.get $scr) (i32.add (i32.shl (local.get $nb) (i32.const 5)) (i32.const 128))))
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.ge_u (local.get $j) (local.get $Q)))
        (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q1)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r2 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q2)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r3 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q3)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))) (local.get $rowBytes))))
        (local.set $blk (i32.const 0))
        (block $scales_done
          (loop $scales
            (br_if $scales_done (i32.ge_u (local.get $blk) (local.get $nb)))
            (local.set $o (i32.mul (local.get $blk) (local.get $bb)))
            ;; the four rows' F16 scales as float32 lanes, converted as widen16 converts them
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u offset=0 (i32.add (local.get $r0) (local.get $o)))) (i32.load16_u offset=0 (i32.add (local.get $r1) (local.get $o))))
              (i32.load16_u offset=0 (i32.add (local.get $r2) (local.get $o)))) (i32.load16_u offset=0 (i32.add (local.get $r3) (local.get $o)))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $w1 (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))))
            (v128.store offset=0 (i32.add (local.get $scr) (i32.shl (local.get $blk) (i32.const 5)))
              (v128.or (local.get $w1) (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $scales)))
        (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $M)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $xa (i32.add (local.get $xq) (i32.mul (local.get $i) (local.get $K))))
            (local.set $xs (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $i) (local.get $nb)) (i32.const 3))))
            (local.set $sc (local.get $scr))
            (local.set $p0 (local.get $r0)) (local.set $p1 (local.get $r1)) (local.set $p2 (local.get $r2)) (local.set $p3 (local.get $r3))
            (local.set $blk (i32.const 0))
        (block $q5_done
          (loop $q5
            (br_if $q5_done (i32.ge_u (local.get $blk) (local.get $nb)))
            (local.set $x0 (v128.load (local.get $xa)))
            (local.set $x1 (v128.load offset=16 (local.get $xa)))
            (local.set $v (v128.load offset=6 (local.get $p0)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $h (i32x4.splat (i32.load offset=2 (local.get $p0))))
            (local.set $w0 (v128.or (local.get $w0) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1 (local.get $h) (local.get $h)))))))
            (local.set $w1 (v128.or (local.get $w1) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 2 2 2 2 2 2 2 2 3 3 3 3 3 3 3 3 (local.get $h) (local.get $h)))))))
            (local.set $s0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=0 (local.get $sink) (local.get $s0))
            (local.set $v (v128.load offset=6 (local.get $p1)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $h (i32x4.splat (i32.load offset=2 (local.get $p1))))
            (local.set $w0 (v128.or (local.get $w0) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1 (local.get $h) (local.get $h)))))))
            (local.set $w1 (v128.or (local.get $w1) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 2 2 2 2 2 2 2 2 3 3 3 3 3 3 3 3 (local.get $h) (local.get $h)))))))
            (local.set $s1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=16 (local.get $sink) (local.get $s1))
            (local.set $v (v128.load offset=6 (local.get $p2)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $h (i32x4.splat (i32.load offset=2 (local.get $p2))))
            (local.set $w0 (v128.or (local.get $w0) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1 (local.get $h) (local.get $h)))))))
            (local.set $w1 (v128.or (local.get $w1) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 2 2 2 2 2 2 2 2 3 3 3 3 3 3 3 3 (local.get $h) (local.get $h)))))))
            (local.set $s2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=32 (local.get $sink) (local.get $s2))
            (local.set $v (v128.load offset=6 (local.get $p3)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $h (i32x4.splat (i32.load offset=2 (local.get $p3))))
            (local.set $w0 (v128.or (local.get $w0) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1 (local.get $h) (local.get $h)))))))
            (local.set $w1 (v128.or (local.get $w1) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 2 2 2 2 2 2 2 2 3 3 3 3 3 3 3 3 (local.get $h) (local.get $h)))))))
            (local.set $s3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
            (local.set $w0 (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $w0))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $w0))))
            (local.set $v (i32x4.sub (local.get $v) (i32x4.splat (i32.shl (i32.load offset=4 (local.get $xs)) (i32.const 4))))) ;; Σ (q − 16)·x = Σ q·x − 16·Σ x
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.convert_i32x4_s (local.get $v))
              (f32x4.mul (v128.load (local.get $sc)) (f32x4.splat (f32.load (local.get $xs)))))))
            (local.set $xa (i32.add (local.get $xa) (i32.const 32)))
            (local.set $xs (i32.add (local.get $xs) (i32.const 8)))
            (local.set $sc (i32.add (local.get $sc) (i32.const 32)))
            (local.set $p0 (i32.add (local.get $p0) (local.get $bb)))
            (local.set $p1 (i32.add (local.get $p1) (local.get $bb)))
            (local.set $p2 (i32.add (local.get $p2) (local.get $bb)))
            (local.set $p3 (i32.add (local.get $p3) (local.get $bb)))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $q5)))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldo)) (local.get $j)) (i32.const 2))))
        (if (i32.lt_u (i32.add (local.get $j) (i32.const 0)) (local.get $N))
          (then (f32.store offset=0 (local.get $o) (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32.load offset=0 (local.get $bj))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb1)) (f32.add (f32x4.extract_lane 1 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb1)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb2)) (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb2)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb3)) (f32.add (f32x4.extract_lane 3 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb3)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $groups))))

  (func $linear_q51 (param $xq i32) (param $xd i32) (param $w i32) (param $bb i32) (param $b i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $scr i32) (param $ldo i32)
    (local $nb i32) (local $rowBytes i32) (local $j i32) (local $i i32) (local $blk i32) (local $last i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $xa i32) (local $xs i32) (local $sc i32) (local $o i32) (local $bj i32) (local $Q i32) (local $q1 i32) (local $q2 i32) (local $q3 i32) (local $qb1 i32) (local $qb2 i32) (local $qb3 i32) (local $sink i32)
    (local $x0 v128) (local $x1 v128) (local $w0 v128) (local $w1 v128) (local $v v128) (local $h v128) (local $acc v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $nb (i32.shr_u (local.get $K) (i32.const 5)))
    (local.set $rowBytes (i32.mul (local.get $nb) (local.get $bb)))
    (local.set $last (i32.sub (local.get $N) (i32.const 1)))
    ;; a group's four rows are j + s·Q (s = 0 … 3, Q = ⌈N/4⌉), not neighbours: each of the four
    ;; streams then runs on into the next row, which the prefetcher follows; rows ≥ N repeat row N − 1
    (local.set $Q (i32.shr_u (i32.add (local.get $N) (i32.const 3)) (i32.const 2)))
    (local.set $q1 (local.get $Q)) (local.set $q2 (i32.shl (local.get $Q) (i32.const 1))) (local.set $q3 (i32.mul (local.get $Q) (i32.const 3)))
    (local.set $qb1 (i32.shl (local.get $q1) (i32.const 2))) (local.set $qb2 (i32.shl (local.get $q2) (i32.const 2))) (local.set $qb3 (i32.shl (local.get $q3) (i32.const 2)))
    ;; a sink for each row's sum before the next row's loads (see linear_q8_stream), after the scales and accumulators
    (local.set $sink (i32.add (local.get $scr) (i32.add (i32.shl (local.get $nb) (i32.const 5)) (i32.const 128))))
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.ge_u (local.get $j) (local.get $Q)))
        (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q1)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r2 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q2)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))) (local.get $rowBytes))))
        (local.set $r3 (i32.add (local.get $w) (i32.mul (select (i32.add (local.get $j) (local.get $q3)) (local.get $last) (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))) (local.get $rowBytes))))
        (local.set $blk (i32.const 0))
        (block $scales_done
          (loop $scales
            (br_if $scales_done (i32.ge_u (local.get $blk) (local.get $nb)))
            (local.set $o (i32.mul (local.get $blk) (local.get $bb)))
            ;; the four rows' F16 scales and minimums as float32 lanes, converted as widen16 converts them
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u offset=0 (i32.add (local.get $r0) (local.get $o)))) (i32.load16_u offset=0 (i32.add (local.get $r1) (local.get $o))))
              (i32.load16_u offset=0 (i32.add (local.get $r2) (local.get $o)))) (i32.load16_u offset=0 (i32.add (local.get $r3) (local.get $o)))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $w1 (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))))
            (v128.store offset=0 (i32.add (local.get $scr) (i32.shl (local.get $blk) (i32.const 5)))
              (v128.or (local.get $w1) (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $v (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
              (i32x4.splat (i32.load16_u offset=2 (i32.add (local.get $r0) (local.get $o)))) (i32.load16_u offset=2 (i32.add (local.get $r1) (local.get $o))))
              (i32.load16_u offset=2 (i32.add (local.get $r2) (local.get $o)))) (i32.load16_u offset=2 (i32.add (local.get $r3) (local.get $o)))))
            (local.set $w0 (i32x4.shr_u (i32x4.shl (local.get $v) (i32.const 17)) (i32.const 4)))
            (local.set $w1 (f32x4.mul (local.get $w0) (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000)))
            (local.set $w1 (v128.bitselect (v128.or (local.get $w0) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (local.get $w1)
              (i32x4.gt_s (local.get $w0) (v128.const i32x4 0x0f7fffff 0x0f7fffff 0x0f7fffff 0x0f7fffff))))
            (v128.store offset=16 (i32.add (local.get $scr) (i32.shl (local.get $blk) (i32.const 5)))
              (v128.or (local.get $w1) (i32x4.shl (v128.and (local.get $v) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $scales)))
        (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $i) (local.get $M)))
            (local.set $acc (v128.const i32x4 0 0 0 0))
            (local.set $xa (i32.add (local.get $xq) (i32.mul (local.get $i) (local.get $K))))
            (local.set $xs (i32.add (local.get $xd) (i32.shl (i32.mul (local.get $i) (local.get $nb)) (i32.const 3))))
            (local.set $sc (local.get $scr))
            (local.set $p0 (local.get $r0)) (local.set $p1 (local.get $r1)) (local.set $p2 (local.get $r2)) (local.set $p3 (local.get $r3))
            (local.set $blk (i32.const 0))
        (block $q51_done
          (loop $q51
            (br_if $q51_done (i32.ge_u (local.get $blk) (local.get $nb)))
            (local.set $x0 (v128.load (local.get $xa)))
            (local.set $x1 (v128.load offset=16 (local.get $xa)))
            (local.set $v (v128.load offset=8 (local.get $p0)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $h (i32x4.splat (i32.load offset=4 (local.get $p0))))
            (local.set $w0 (v128.or (local.get $w0) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1 (local.get $h) (local.get $h)))))))
            (local.set $w1 (v128.or (local.get $w1) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 2 2 2 2 2 2 2 2 3 3 3 3 3 3 3 3 (local.get $h) (local.get $h)))))))
            (local.set $s0 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=0 (local.get $sink) (local.get $s0))
            (local.set $v (v128.load offset=8 (local.get $p1)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $h (i32x4.splat (i32.load offset=4 (local.get $p1))))
            (local.set $w0 (v128.or (local.get $w0) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1 (local.get $h) (local.get $h)))))))
            (local.set $w1 (v128.or (local.get $w1) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 2 2 2 2 2 2 2 2 3 3 3 3 3 3 3 3 (local.get $h) (local.get $h)))))))
            (local.set $s1 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=16 (local.get $sink) (local.get $s1))
            (local.set $v (v128.load offset=8 (local.get $p2)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $h (i32x4.splat (i32.load offset=4 (local.get $p2))))
            (local.set $w0 (v128.or (local.get $w0) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1 (local.get $h) (local.get $h)))))))
            (local.set $w1 (v128.or (local.get $w1) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 2 2 2 2 2 2 2 2 3 3 3 3 3 3 3 3 (local.get $h) (local.get $h)))))))
            (local.set $s2 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            (v128.store offset=32 (local.get $sink) (local.get $s2))
            (local.set $v (v128.load offset=8 (local.get $p3)))
            (local.set $w0 (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
            (local.set $w1 (i8x16.shr_u (local.get $v) (i32.const 4)))
            (local.set $h (i32x4.splat (i32.load offset=4 (local.get $p3))))
            (local.set $w0 (v128.or (local.get $w0) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1 (local.get $h) (local.get $h)))))))
            (local.set $w1 (v128.or (local.get $w1) (v128.and (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16) (i8x16.eq (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128)
              (v128.and (v128.const i8x16 1 2 4 8 16 32 64 128 1 2 4 8 16 32 64 128) (i8x16.shuffle 2 2 2 2 2 2 2 2 3 3 3 3 3 3 3 3 (local.get $h) (local.get $h)))))))
            (local.set $s3 (i32x4.add
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w0)) (i16x8.extend_low_i8x16_s (local.get $x0))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w0)) (i16x8.extend_high_i8x16_s (local.get $x0))))
              (i32x4.add (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w1)) (i16x8.extend_low_i8x16_s (local.get $x1))) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w1)) (i16x8.extend_high_i8x16_s (local.get $x1))))))
            ;; [Σ s0, Σ s1, Σ s2, Σ s3]: the four rows' integer sums, by a 4×4 transpose
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
            (local.set $w0 (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v) (local.get $w0))
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v) (local.get $w0))))
            ;; Σ (d·q + m)·x = d·Σ q·x + m·Σ x, times x's scale
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.splat (f32.load (local.get $xs)))
              (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (local.get $v)) (v128.load (local.get $sc)))
                (f32x4.mul (v128.load offset=16 (local.get $sc)) (f32x4.splat (f32.convert_i32_s (i32.load offset=4 (local.get $xs)))))))))
            (local.set $xa (i32.add (local.get $xa) (i32.const 32)))
            (local.set $xs (i32.add (local.get $xs) (i32.const 8)))
            (local.set $sc (i32.add (local.get $sc) (i32.const 32)))
            (local.set $p0 (i32.add (local.get $p0) (local.get $bb)))
            (local.set $p1 (i32.add (local.get $p1) (local.get $bb)))
            (local.set $p2 (i32.add (local.get $p2) (local.get $bb)))
            (local.set $p3 (i32.add (local.get $p3) (local.get $bb)))
            (local.set $blk (i32.add (local.get $blk) (i32.const 1)))
            (br $q51)))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldo)) (local.get $j)) (i32.const 2))))
        (if (i32.lt_u (i32.add (local.get $j) (i32.const 0)) (local.get $N))
          (then (f32.store offset=0 (local.get $o) (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32.load offset=0 (local.get $bj))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q1)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb1)) (f32.add (f32x4.extract_lane 1 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb1)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q2)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb2)) (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb2)))))))
        (if (i32.lt_u (i32.add (local.get $j) (local.get $q3)) (local.get $N))
          (then (f32.store (i32.add (local.get $o) (local.get $qb3)) (f32.add (f32x4.extract_lane 3 (local.get $acc)) (f32.load (i32.add (local.get $bj) (local.get $qb3)))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $groups))))

)
