package lib0

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// The differential tests run JavaScript's own JSON.stringify/JSON.parse (and
// lib0's writeAny when node_modules/lib0 is installed) on the same inputs as
// the Go code. They skip when node is not on PATH.

const nodeScript = `
import { readFileSync } from 'node:fs';
const input = JSON.parse(readFileSync(0, 'utf8'));
let enc = null;
if (input.lib0) enc = await import('lib0/encoding');
const anyHex = v => {
  if (!enc) return null;
  const e = enc.createEncoder();
  enc.writeAny(e, v);
  return Buffer.from(enc.toUint8Array(e)).toString('hex');
};
const out = { json: [], nums: [], anys: [] };
for (const s of input.json ?? []) {
  try { out.json.push({ ok: true, out: JSON.stringify(JSON.parse(s)) }); }
  catch { out.json.push({ ok: false, out: '' }); }
}
const dv = new DataView(new ArrayBuffer(8));
for (const h of input.nums ?? []) {
  dv.setBigUint64(0, BigInt('0x' + h));
  const n = dv.getFloat64(0);
  out.nums.push({ json: JSON.stringify(n), any: anyHex(n) });
}
for (const s of input.anys ?? []) out.anys.push(anyHex(JSON.parse(s)));
process.stdout.write(JSON.stringify(out));
`

type nodeOutput struct {
	JSON []struct {
		OK  bool   `json:"ok"`
		Out string `json:"out"`
	} `json:"json"`
	Nums []struct {
		JSON string  `json:"json"`
		Any  *string `json:"any"`
	} `json:"nums"`
	Anys []*string `json:"anys"`
}

// repoRoot finds the module root, where node_modules lives if installed.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
}

func runNode(t *testing.T, jsonInputs, anyInputs []string, nums []float64) (nodeOutput, bool) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not on PATH; skipping the JavaScript differential test")
	}
	root := repoRoot(t)
	_, err = os.Stat(filepath.Join(root, "node_modules", "lib0", "encoding.js"))
	haveLib0 := err == nil
	hexNums := make([]string, len(nums))
	for i, f := range nums {
		hexNums[i] = strconv.FormatUint(math.Float64bits(f), 16)
	}
	in, err := json.Marshal(map[string]any{"json": jsonInputs, "anys": anyInputs, "nums": hexNums, "lib0": haveLib0})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), node, "--input-type=module", "-e", nodeScript)
	cmd.Dir = root
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var out nodeOutput
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("node output: %v", err)
	}
	return out, haveLib0
}

var differentialJSON = []string{
	`1e21`, `1e-7`, `123e-20`, `0.1`, `-0`, `1E400`, `-1e400`, `5e-324`, `1.7976931348623157e308`,
	`9007199254740993`, `12345678901234567890123`, `0.000001`, `100.000`, `-5e-7`, `4.35`, `0.3`,
	` [ 1 , 2 ] `, "\t{\r\n}\n", `[]`, `{}`, `"\u2028<&>"`, `"\ud83d\ude00\/\b\f\n\r\t\u0001"`,
	`{"b":1,"2":0,"a":1,"10":0,"01":0,"4294967295":0,"4294967294":0,"b":2,"-1":0,"1.5":0}`,
	`{"__proto__":1,"a":2}`, `{"a":{"a":{"a":[null,true,false]}}}`, `[1,[2,[3,{"":""}]]]`,
	`01`, `1.`, `.5`, `+1`, `[1,]`, `{"a":1,}`, `{'a':1}`, "\u00a01", `"\x"`, `"` + "\t" + `"`,
	`tru`, `nul`, `1 2`, `[`, `{"a"}`, `NaN`, `Infinity`, `-`, `0x10`, `1e`, `1e+`, `[1e5]`,
	`"\u00E9"`, `"\u00e9"`, `{"a":1,"a":{"b":2}}`, `[-0.0,0e10,-1E-2]`,
}

func TestJSONMatchesNode(t *testing.T) {
	t.Parallel()
	out, _ := runNode(t, differentialJSON, nil, nil)
	for i, in := range differentialJSON {
		want := out.JSON[i]
		v, err := ParseJSON(in)
		if (err == nil) != want.OK {
			t.Errorf("ParseJSON(%q): err = %v, JavaScript ok = %v", in, err, want.OK)
			continue
		}
		if err != nil {
			continue
		}
		if got := string(AppendJSON(nil, v)); got != want.Out {
			t.Errorf("stringify(parse(%q)):\n  go %s\n  js %s", in, got, want.Out)
		}
	}
}

// differentialNumbers mixes boundary values with random ones of every shape:
// arbitrary bit patterns, integers of all magnitudes and short decimals.
func differentialNumbers() []float64 {
	nums := []float64{0, math.Copysign(0, -1), 1, -1, maxInt31, -maxInt31, maxInt31 + 1, -maxInt31 - 1,
		1 << 40, MaxSafeInteger, MaxSafeInteger + 1, 1e21, 1e-7, 1e-6, 0.1, 1.5, math.MaxFloat32,
		math.SmallestNonzeroFloat32, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN()}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1500 {
		var f float64
		switch r.IntN(4) {
		case 0:
			f = math.Float64frombits(r.Uint64())
		case 1:
			f = float64(r.Int64N(1<<uint(r.IntN(62)+1))) * float64(1-2*r.IntN(2))
		case 2:
			f = float64(r.Int64N(1_000_000)) / math.Pow10(r.IntN(12))
		default:
			f = float64(float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(60)-30))))
		}
		nums = append(nums, f)
	}
	return nums
}

func TestNumbersMatchNode(t *testing.T) {
	t.Parallel()
	nums := differentialNumbers()
	out, haveLib0 := runNode(t, nil, nil, nums)
	for i, f := range nums {
		want := out.Nums[i]
		if got := string(AppendJSNumber(nil, f)); got != want.JSON {
			t.Errorf("JSON of %v (%#x): go %s, js %s", f, math.Float64bits(f), got, want.JSON)
		}
		if !haveLib0 || math.IsNaN(f) { // NaN payload bits are not portable
			continue
		}
		if got := hex.EncodeToString(encodeAny(f)); got != *want.Any {
			t.Errorf("writeAny(%v): go %s, js %s", f, got, *want.Any)
		}
	}
	if !haveLib0 {
		t.Log("node_modules/lib0 absent: compared JSON number text only, not writeAny bytes")
	}
}

func TestAnyMatchesNodeLib0(t *testing.T) {
	t.Parallel()
	inputs := []string{
		`[-1,1.5,0.1,2147483648,1099511627776,true,false,null,"x",[1],{"a":1}]`,
		`{"b":1,"2":[],"a":{"10":-0.5,"9":"é😀"},"01":2147483647,"":-2147483647}`,
		`[-0,1e300,4294967296,9007199254740991,1e-300,3.4028234663852886e38]`,
	}
	out, haveLib0 := runNode(t, nil, inputs, nil)
	if !haveLib0 {
		t.Skip("node_modules/lib0 absent (run npm ci at the repository root); skipping")
	}
	for i, in := range inputs {
		v, err := ParseJSON(in)
		if err != nil {
			t.Fatalf("ParseJSON(%s): %v", in, err)
		}
		if got := hex.EncodeToString(encodeAny(v)); got != *out.Anys[i] {
			t.Errorf("writeAny(%s):\n  go %s\n  js %s", in, got, *out.Anys[i])
		}
	}
}
