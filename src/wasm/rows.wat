;; Row kernels: the JavaScript kernels' loops over rows (layer norm and cross-entropy in their float64
;; arithmetic, operation for operation, so the same bits) and the moves a training step makes between them
;; (heads to channels and back, the residual add, the finiteness scan before attention's backward). A third
;; module over kernels.wat's memory (imported the same way, the same ABI: byte offsets, unaligned loads),
;; instantiated on first use, so a bundle that only runs softmax or attention does not carry it. The ops
;; call these where every array already lives in the kernels' memory: a training step's store, gradients
;; and moments, a generation's workspace.
;;
;; Index (exported functions; the TypeScript declarations are RowExports in src/backend/module.ts,
;; checked against this module's exports by scripts/build-wasm.mjs):
;;   layerNorm, layerNormBackwardRows, layerNormBackwardColumns   layer norm and its backward pass, in float64
;;   crossEntropyRows, crossEntropyBackwardRows   cross-entropy's row terms and gradient, in float64 with expNonPositive's table
;;   add               out = x + y (the residual connection)
;;   moveRows          strided runs of floats (heads to channels and back, a bias onto every row)
;;   allFinite         whether no value is ±∞ or NaN
(module
  (import "env" "memory" (memory 1 32768))

  ;; layerNorm: rows of C floats, as layerNormForward computes them in float64 — the same operations in the
  ;; same order, so the same bits. Per row: d = x − x[0], Σd and Σd² in two accumulator pairs (even and odd
  ;; columns: an f64x2's two lanes), m = x[0] + Σd/C, var = max(0, (Σd² − (Σd)²/C)/C), s = 1/√(var + eps);
  ;; out = (x − m)·s·w (+ b where hasBias), each rounded to float32 once; where keep, mean[r] = m, rstd[r] = s.
  (func (export "layerNorm") (param $x i32) (param $w i32) (param $b i32) (param $out i32) (param $mean i32) (param $rstd i32)
    (param $rows i32) (param $C i32) (param $eps f64) (param $hasBias i32) (param $keep i32)
    (local $i i32) (local $pairs i32) (local $K f64) (local $d v128) (local $sum v128) (local $sq v128) (local $s0 f64) (local $q0 f64)
    (local $a f64) (local $s f64) (local $n f64) (local $m f64) (local $r f64) (local $y v128) (local $t f64)
    (local.set $n (f64.convert_i32_u (local.get $C)))
    (local.set $pairs (i32.shl (i32.shr_u (local.get $C) (i32.const 1)) (i32.const 3)))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $K (select (f64.promote_f32 (f32.load (local.get $x))) (f64.const 0) (local.get $C)))
        (local.set $sum (v128.const i64x2 0 0))
        (local.set $sq (v128.const i64x2 0 0))
        (local.set $i (i32.const 0))
        (block $stats_done
          (loop $stats
            (br_if $stats_done (i32.ge_u (local.get $i) (local.get $pairs)))
            (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x) (local.get $i)))) (f64x2.splat (local.get $K))))
            (local.set $sum (f64x2.add (local.get $sum) (local.get $d)))
            (local.set $sq (f64x2.add (local.get $sq) (f64x2.mul (local.get $d) (local.get $d))))
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (br $stats)))
        (local.set $s0 (f64x2.extract_lane 0 (local.get $sum)))
        (local.set $q0 (f64x2.extract_lane 0 (local.get $sq)))
        (if (i32.and (local.get $C) (i32.const 1))
          (then
            (local.set $a (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $pairs)))) (local.get $K)))
            (local.set $s0 (f64.add (local.get $s0) (local.get $a)))
            (local.set $q0 (f64.add (local.get $q0) (f64.mul (local.get $a) (local.get $a))))))
        (local.set $s (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $sum))))
        (local.set $m (f64.add (local.get $K) (f64.div (local.get $s) (local.get $n))))
        (local.set $r (f64.div (f64.const 1) (f64.sqrt (f64.add
          (f64.max (f64.const 0) (f64.div (f64.sub (f64.add (local.get $q0) (f64x2.extract_lane 1 (local.get $sq))) (f64.div (f64.mul (local.get $s) (local.get $s)) (local.get $n))) (local.get $n)))
          (local.get $eps)))))
        ;; out = (x − m)·s·w (+ b), two columns at a time, then the odd one
        (local.set $i (i32.const 0))
        (block $affine_done
          (loop $affine
            (br_if $affine_done (i32.ge_u (local.get $i) (local.get $pairs)))
            (local.set $y (f64x2.mul (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x) (local.get $i)))) (f64x2.splat (local.get $m)))
              (f64x2.splat (local.get $r))) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $w) (local.get $i))))))
            (if (local.get $hasBias) (then (local.set $y (f64x2.add (local.get $y) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $b) (local.get $i))))))))
            (v128.store64_lane 0 (i32.add (local.get $out) (local.get $i)) (f32x4.demote_f64x2_zero (local.get $y)))
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (br $affine)))
        (if (i32.and (local.get $C) (i32.const 1))
          (then
            (local.set $t (f64.mul (f64.mul (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $pairs)))) (local.get $m)) (local.get $r))
              (f64.promote_f32 (f32.load (i32.add (local.get $w) (local.get $pairs))))))
            (if (local.get $hasBias) (then (local.set $t (f64.add (local.get $t) (f64.promote_f32 (f32.load (i32.add (local.get $b) (local.get $pairs))))))))
            (f32.store (i32.add (local.get $out) (local.get $pairs)) (f32.demote_f64 (local.get $t)))))
        (if (local.get $keep)
          (then
            (f32.store (local.get $mean) (f32.demote_f64 (local.get $m)))
            (f32.store (local.get $rstd) (f32.demote_f64 (local.get $r)))))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $C) (i32.const 2))))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $C) (i32.const 2))))
        (local.set $mean (i32.add (local.get $mean) (i32.const 4)))
        (local.set $rstd (i32.add (local.get $rstd) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; layerNormBackwardRows: dx += s·(g − mean(g) − n·mean(g·n)) per row, n = (x − m)·s, g = dy·w, in float64
  ;; as layerNormBackwardKernel (the row sums one after another, column by column; the rest two columns at a time)
  (func (export "layerNormBackwardRows") (param $dx i32) (param $dy i32) (param $x i32) (param $w i32) (param $mean i32) (param $rstd i32)
    (param $rows i32) (param $C i32)
    (local $i i32) (local $end i32) (local $pairs i32) (local $m f64) (local $s f64) (local $g f64) (local $sumG f64) (local $sumGN f64)
    (local $meanG f64) (local $meanGN f64) (local $n f64) (local $d v128) (local $nv v128) (local $t f64)
    (local.set $n (f64.convert_i32_u (local.get $C)))
    (local.set $end (i32.shl (local.get $C) (i32.const 2)))
    (local.set $pairs (i32.shl (i32.shr_u (local.get $C) (i32.const 1)) (i32.const 3)))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $m (f64.promote_f32 (f32.load (local.get $mean))))
        (local.set $s (f64.promote_f32 (f32.load (local.get $rstd))))
        (local.set $sumG (f64.const 0))
        (local.set $sumGN (f64.const 0))
        (local.set $i (i32.const 0))
        (block $sums_done
          (loop $sums
            (br_if $sums_done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $g (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $dy) (local.get $i)))) (f64.promote_f32 (f32.load (i32.add (local.get $w) (local.get $i))))))
            (local.set $sumG (f64.add (local.get $sumG) (local.get $g)))
            (local.set $sumGN (f64.add (local.get $sumGN) (f64.mul (f64.mul (local.get $g) (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $i)))) (local.get $m))) (local.get $s))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $sums)))
        (local.set $meanG (f64.div (local.get $sumG) (local.get $n)))
        (local.set $meanGN (f64.div (local.get $sumGN) (local.get $n)))
        (local.set $i (i32.const 0))
        (block $dx_done
          (loop $dxs
            (br_if $dx_done (i32.ge_u (local.get $i) (local.get $pairs)))
            (local.set $d (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $dy) (local.get $i)))))
            (local.set $nv (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x) (local.get $i)))) (f64x2.splat (local.get $m))) (f64x2.splat (local.get $s))))
            (v128.store64_lane 0 (i32.add (local.get $dx) (local.get $i)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $dx) (local.get $i))))
              (f64x2.mul (f64x2.splat (local.get $s)) (f64x2.sub
                (f64x2.sub (f64x2.mul (local.get $d) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $w) (local.get $i))))) (f64x2.splat (local.get $meanG)))
                (f64x2.mul (local.get $nv) (f64x2.splat (local.get $meanGN))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (br $dxs)))
        (if (i32.and (local.get $C) (i32.const 1))
          (then
            (local.set $t (f64.mul (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $pairs)))) (local.get $m)) (local.get $s)))
            (f32.store (i32.add (local.get $dx) (local.get $pairs)) (f32.demote_f64 (f64.add
              (f64.promote_f32 (f32.load (i32.add (local.get $dx) (local.get $pairs))))
              (f64.mul (local.get $s) (f64.sub
                (f64.sub (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $dy) (local.get $pairs)))) (f64.promote_f32 (f32.load (i32.add (local.get $w) (local.get $pairs))))) (local.get $meanG))
                (f64.mul (local.get $t) (local.get $meanGN)))))))))
        (local.set $dx (i32.add (local.get $dx) (local.get $end)))
        (local.set $dy (i32.add (local.get $dy) (local.get $end)))
        (local.set $x (i32.add (local.get $x) (local.get $end)))
        (local.set $mean (i32.add (local.get $mean) (i32.const 4)))
        (local.set $rstd (i32.add (local.get $rstd) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; layerNormBackwardColumns: dw += Σ_rows dy·n and (where hasBias) db += Σ_rows dy for `cols` columns of rows
  ;; C floats apart, each column's sums in float64 row after row (as layerNormBackwardKernel), two columns at a time
  (func (export "layerNormBackwardColumns") (param $dw i32) (param $db i32) (param $dy i32) (param $x i32) (param $mean i32) (param $rstd i32)
    (param $rows i32) (param $cols i32) (param $C i32) (param $hasBias i32)
    (local $j i32) (local $r i32) (local $at i32) (local $stride i32) (local $accW v128) (local $accB v128) (local $d v128) (local $wide i32)
    (local.set $stride (i32.shl (local.get $C) (i32.const 2)))
    (block $done
      (loop $column
        (br_if $done (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $wide (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $cols))) ;; two columns, or the last one alone
        (local.set $accW (v128.const i64x2 0 0))
        (local.set $accB (v128.const i64x2 0 0))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (local.set $r (i32.const 0))
        (block $rows_done
          (loop $rowLoop
            (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
            (if (local.get $wide)
              (then (local.set $d (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $dy) (local.get $at)))))
                    (local.set $accW (f64x2.add (local.get $accW) (f64x2.mul (local.get $d)
                      (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x) (local.get $at))))
                        (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $mean) (i32.shl (local.get $r) (i32.const 2))))))) (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $rstd) (i32.shl (local.get $r) (i32.const 2)))))))))))
              (else (local.set $d (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $dy) (local.get $at))))))
                    (local.set $accW (f64x2.add (local.get $accW) (f64x2.mul (local.get $d)
                      (f64x2.mul (f64x2.sub (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $at)))))
                        (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $mean) (i32.shl (local.get $r) (i32.const 2))))))) (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $rstd) (i32.shl (local.get $r) (i32.const 2))))))))))))
            (local.set $accB (f64x2.add (local.get $accB) (local.get $d)))
            (local.set $at (i32.add (local.get $at) (local.get $stride)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rowLoop)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (f32.store (i32.add (local.get $dw) (local.get $at)) (f32.demote_f64 (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $dw) (local.get $at)))) (f64x2.extract_lane 0 (local.get $accW)))))
        (if (local.get $hasBias) (then (f32.store (i32.add (local.get $db) (local.get $at)) (f32.demote_f64 (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $db) (local.get $at)))) (f64x2.extract_lane 0 (local.get $accB)))))))
        (if (local.get $wide)
          (then
            (f32.store offset=4 (i32.add (local.get $dw) (local.get $at)) (f32.demote_f64 (f64.add (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $dw) (local.get $at)))) (f64x2.extract_lane 1 (local.get $accW)))))
            (if (local.get $hasBias) (then (f32.store offset=4 (i32.add (local.get $db) (local.get $at)) (f32.demote_f64 (f64.add (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $db) (local.get $at)))) (f64x2.extract_lane 1 (local.get $accB)))))))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $column))))

  ;; e^x for x ≤ 0 as expNonPositive computes it in float64 (the same bits): its table 2^(−i/32) from $t + 48,
  ;; after the constants 32/ln 2, ln 2/32 in two parts, the cutoff, 1/6 (written there by the backend)
  (func $expTable (param $x f64) (param $t i32) (result f64)
    (local $k i32) (local $kf f64) (local $q f64)
    (if (result f64) (i32.and (f64.gt (local.get $x) (f64.load offset=24 (local.get $t))) (f64.le (local.get $x) (f64.const 0)))
      (then
        (local.set $k (i32.trunc_f64_s (f64.sub (f64.const 0.5) (f64.mul (local.get $x) (f64.load (local.get $t))))))
        (local.set $kf (f64.convert_i32_s (local.get $k)))
        (local.set $q (f64.add (f64.add (local.get $x) (f64.mul (local.get $kf) (f64.load offset=8 (local.get $t)))) (f64.mul (local.get $kf) (f64.load offset=16 (local.get $t)))))
        (f64.mul (f64.load offset=48 (i32.add (local.get $t) (i32.shl (local.get $k) (i32.const 3))))
          (f64.add (f64.const 1) (f64.mul (local.get $q) (f64.add (f64.const 1) (f64.mul (local.get $q) (f64.add (f64.const 0.5) (f64.mul (local.get $q) (f64.load offset=32 (local.get $t))))))))))
      (else (f64.const 0))))

  ;; a row's maximum as rowMax finds it (NaN at the first NaN), over n floats at x
  (func $rowMax (param $x i32) (param $n i32) (result f64)
    (local $max f64) (local $v f64) (local $end i32)
    (local.set $max (f64.const -inf))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (f64.promote_f32 (f32.load (local.get $x))))
        (if (f64.gt (local.get $v) (local.get $max))
          (then (local.set $max (local.get $v)))
          (else (if (f64.ne (local.get $v) (local.get $v)) (then (return (f64.const nan))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $l)))
    (local.get $max))

  ;; crossEntropyRows: per row r of logits [rows, V] whose target (i32 at targets) is not −1, out[2r] = max − logit[t]
  ;; and out[2r + 1] = Σ_j e^(logit_j − max) in float64 (crossEntropyKernel's terms, the same bits; the caller adds
  ;; max − logit[t] + log Σ in row order); a row whose max is NaN or ±∞ gets NaN, an ignored row 0 and 1
  (func (export "crossEntropyRows") (param $logits i32) (param $targets i32) (param $out i32) (param $rows i32) (param $V i32) (param $table i32)
    (local $t i32) (local $max f64) (local $sum f64) (local $j i32) (local $end i32)
    (local.set $end (i32.shl (local.get $V) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $t (i32.load (local.get $targets)))
        (f64.store (local.get $out) (f64.const 0))
        (f64.store offset=8 (local.get $out) (f64.const 1))
        (block $next
          (br_if $next (i32.eq (local.get $t) (i32.const -1)))
          (local.set $max (call $rowMax (local.get $logits) (local.get $V)))
          (if (i32.or (f64.ne (local.get $max) (local.get $max)) (f64.eq (f64.abs (local.get $max)) (f64.const inf)))
            (then (f64.store (local.get $out) (f64.const nan)) (br $next)))
          (local.set $sum (f64.const 0))
          (local.set $j (i32.const 0))
          (block $sum_done
            (loop $sums
              (br_if $sum_done (i32.ge_u (local.get $j) (local.get $end)))
              (local.set $sum (f64.add (local.get $sum) (call $expTable (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $logits) (local.get $j)))) (local.get $max)) (local.get $table))))
              (local.set $j (i32.add (local.get $j) (i32.const 4)))
              (br $sums)))
          (f64.store (local.get $out) (f64.sub (local.get $max) (f64.promote_f32 (f32.load (i32.add (local.get $logits) (i32.shl (local.get $t) (i32.const 2)))))))
          (f64.store offset=8 (local.get $out) (local.get $sum)))
        (local.set $logits (i32.add (local.get $logits) (local.get $end)))
        (local.set $targets (i32.add (local.get $targets) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; crossEntropyBackwardRows: dlogits = scale·(softmax(logits) − onehot(t)) per row, zeros where t = −1, as
  ;; crossEntropyBackwardKernel computes it (e^(x − max) rounded to float32, summed unrounded in float64, then
  ;; each times scale/Σ; the same bits); a row whose max is NaN or ±∞ gets NaN. dlogits may be logits.
  (func (export "crossEntropyBackwardRows") (param $dlogits i32) (param $logits i32) (param $targets i32) (param $rows i32) (param $V i32) (param $scale f64) (param $table i32)
    (local $t i32) (local $max f64) (local $sum f64) (local $e f64) (local $k f64) (local $j i32) (local $end i32) (local $at i32)
    (local.set $end (i32.shl (local.get $V) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $t (i32.load (local.get $targets)))
        (block $next
          (if (i32.eq (local.get $t) (i32.const -1))
            (then (memory.fill (local.get $dlogits) (i32.const 0) (local.get $end)) (br $next)))
          (local.set $max (call $rowMax (local.get $logits) (local.get $V)))
          (if (i32.or (f64.ne (local.get $max) (local.get $max)) (f64.eq (f64.abs (local.get $max)) (f64.const inf)))
            (then
              (local.set $j (i32.const 0))
              (block $nan_done
                (loop $nans
                  (br_if $nan_done (i32.ge_u (local.get $j) (local.get $end)))
                  (f32.store (i32.add (local.get $dlogits) (local.get $j)) (f32.const nan))
                  (local.set $j (i32.add (local.get $j) (i32.const 4)))
                  (br $nans)))
              (br $next)))
          (local.set $sum (f64.const 0))
          (local.set $j (i32.const 0))
          (block $exp_done
            (loop $exps
              (br_if $exp_done (i32.ge_u (local.get $j) (local.get $end)))
              (local.set $e (call $expTable (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $logits) (local.get $j)))) (local.get $max)) (local.get $table)))
              (f32.store (i32.add (local.get $dlogits) (local.get $j)) (f32.demote_f64 (local.get $e)))
              (local.set $sum (f64.add (local.get $sum) (local.get $e)))
              (local.set $j (i32.add (local.get $j) (i32.const 4)))
              (br $exps)))
          (local.set $k (f64.div (local.get $scale) (local.get $sum)))
          (local.set $j (i32.const 0))
          (block $scale_done
            (loop $scales
              (br_if $scale_done (i32.ge_u (local.get $j) (local.get $end)))
              (local.set $at (i32.add (local.get $dlogits) (local.get $j)))
              (f32.store (local.get $at) (f32.demote_f64 (f64.mul (f64.promote_f32 (f32.load (local.get $at))) (local.get $k))))
              (local.set $j (i32.add (local.get $j) (i32.const 4)))
              (br $scales)))
          (local.set $at (i32.add (local.get $dlogits) (i32.shl (local.get $t) (i32.const 2))))
          (f32.store (local.get $at) (f32.demote_f64 (f64.sub (f64.promote_f32 (f32.load (local.get $at))) (local.get $scale)))))
        (local.set $dlogits (i32.add (local.get $dlogits) (local.get $end)))
        (local.set $logits (i32.add (local.get $logits) (local.get $end)))
        (local.set $targets (i32.add (local.get $targets) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; add: out = x + y over n floats (n a multiple of 4), element-wise: the residual connection
  (func (export "add") (param $x i32) (param $y i32) (param $out i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $x) (local.get $i))) (v128.load (i32.add (local.get $y) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l))))

  ;; moveRows: `rows` runs of `width` floats (a multiple of 4) from src, runs `srcStride` floats apart, to
  ;; dst, `dstStride` apart: heads split from and merged into the channel layout
  (func (export "moveRows") (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32) (param $rows i32) (param $width i32)
    (local $i i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $width) (i32.const 2)))
    (local.set $srcStride (i32.shl (local.get $srcStride) (i32.const 2)))
    (local.set $dstStride (i32.shl (local.get $dstStride) (i32.const 2)))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $i (i32.const 0))
        (block $row_done
          (loop $copy
            (br_if $row_done (i32.ge_u (local.get $i) (local.get $bytes)))
            (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.load (i32.add (local.get $src) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $copy)))
        (local.set $src (i32.add (local.get $src) (local.get $srcStride)))
        (local.set $dst (i32.add (local.get $dst) (local.get $dstStride)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $rowLoop))))

  ;; allFinite: 1 if the n floats at x (n a multiple of 4) are all finite, else 0: x − x is 0 for a
  ;; finite x and NaN for ±∞ and NaN, and a sum of them is NaN once one is
  (func (export "allFinite") (param $x i32) (param $n i32) (result i32)
    (local $acc v128) (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $scan
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.sub (v128.load (local.get $x)) (v128.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $scan)))
    (i32x4.all_true (f32x4.eq (local.get $acc) (local.get $acc)))))
