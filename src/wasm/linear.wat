;; y = x·Wᵀ + b with WebAssembly SIMD (f32x4), the layout of the JavaScript kernel: x [M, K] and
;; W [N, K] row-major, so every output is a dot product of two contiguous rows.
;; The caller pads: K to a multiple of 4, M to a multiple of 2, N to a multiple of 4, with zeros
;; (zeros add nothing to a dot product), and b to N entries. All pointers are byte offsets.
;; Tiles of 2 rows × 4 columns: 8 f32x4 accumulators, each summing 4 lanes of k at a time; for each
;; step of 4 k, 2 loads of x and 4 of W feed 8 multiply-adds. W is walked in panels of `panel` rows
;; so they stay in cache while every row of x passes over them.
(module
  (memory (export "memory") 1)

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

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
                (f32.store offset=0 (local.get $o0) (f32.add (call $hsum (local.get $a0)) (f32.load offset=0 (local.get $bj))))
                (f32.store offset=4 (local.get $o0) (f32.add (call $hsum (local.get $a1)) (f32.load offset=4 (local.get $bj))))
                (f32.store offset=8 (local.get $o0) (f32.add (call $hsum (local.get $a2)) (f32.load offset=8 (local.get $bj))))
                (f32.store offset=12 (local.get $o0) (f32.add (call $hsum (local.get $a3)) (f32.load offset=12 (local.get $bj))))
                (f32.store offset=0 (local.get $o1) (f32.add (call $hsum (local.get $c0)) (f32.load offset=0 (local.get $bj))))
                (f32.store offset=4 (local.get $o1) (f32.add (call $hsum (local.get $c1)) (f32.load offset=4 (local.get $bj))))
                (f32.store offset=8 (local.get $o1) (f32.add (call $hsum (local.get $c2)) (f32.load offset=8 (local.get $bj))))
                (f32.store offset=12 (local.get $o1) (f32.add (call $hsum (local.get $c3)) (f32.load offset=12 (local.get $bj))))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $cols)))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $rows)))
        (local.set $j0 (i32.add (local.get $j0) (local.get $panel)))
        (br $panels)))))
