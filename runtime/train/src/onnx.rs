//! The ONNX graph of `models/train/bagmodel.py`, node for node, written as protobuf by hand.
//!
//! ONNX files are protobuf messages; the few message types needed here (Model, Graph, Node,
//! Attribute, Tensor, ValueInfo) are encoded directly with their field numbers from `onnx.proto`,
//! which avoids a protobuf code generator at build time. Opset 17, IR version 8, like the
//! bundled models; the classifier loads the result unchanged.

use crate::features::BIGRAM_PRIME;

const FLOAT: i64 = 1;
const INT64: i64 = 7;

/// A protobuf message being written.
#[derive(Default)]
struct Msg(Vec<u8>);

impl Msg {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn key(&mut self, field: u32, wire: u32) {
        self.varint(u64::from(field << 3 | wire));
    }
    fn int(&mut self, field: u32, v: i64) -> &mut Self {
        self.key(field, 0);
        self.varint(v as u64);
        self
    }
    fn bytes(&mut self, field: u32, b: &[u8]) -> &mut Self {
        self.key(field, 2);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
        self
    }
    fn str(&mut self, field: u32, s: &str) -> &mut Self {
        self.bytes(field, s.as_bytes())
    }
    fn msg(&mut self, field: u32, m: &Msg) -> &mut Self {
        self.bytes(field, &m.0)
    }
}

/// TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9.
fn tensor(name: &str, dtype: i64, dims: &[usize], raw: &[u8]) -> Msg {
    let mut t = Msg::default();
    for &d in dims {
        t.int(1, d as i64);
    }
    t.int(2, dtype);
    if !name.is_empty() {
        t.str(8, name);
    }
    t.bytes(9, raw);
    t
}

fn f32s(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn i64s(v: &[i64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

enum Attr<'a> {
    Int(&'a str, i64),
    Tensor(&'a str, Msg),
}

/// NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
/// AttributeProto: name = 1, i = 3, t = 5, type = 20 (INT = 2, TENSOR = 4).
fn node(op: &str, inputs: &[&str], outputs: &[&str], attrs: Vec<Attr<'_>>) -> Msg {
    let mut n = Msg::default();
    for i in inputs {
        n.str(1, i);
    }
    for o in outputs {
        n.str(2, o);
    }
    n.str(3, &format!("{op}_{}", outputs[0]));
    n.str(4, op);
    for a in attrs {
        let mut m = Msg::default();
        match a {
            Attr::Int(name, v) => {
                m.str(1, name).int(3, v).int(20, 2);
            }
            Attr::Tensor(name, t) => {
                m.str(1, name).msg(5, &t).int(20, 4);
            }
        }
        n.msg(5, &m);
    }
    n
}

/// ValueInfoProto with a tensor type: name = 1, type = 2 → tensor_type = 1 → elem_type = 1,
/// shape = 2 → dim = 1 → dim_value = 1 | dim_param = 2.
fn value_info(name: &str, dtype: i64, dims: &[Result<usize, &str>]) -> Msg {
    let mut shape = Msg::default();
    for d in dims {
        let mut dim = Msg::default();
        match d {
            Ok(v) => dim.int(1, *v as i64),
            Err(p) => dim.str(2, p),
        };
        shape.msg(1, &dim);
    }
    let mut tt = Msg::default();
    tt.int(1, dtype).msg(2, &shape);
    let mut ty = Msg::default();
    ty.msg(1, &tt);
    let mut vi = Msg::default();
    vi.str(1, name).msg(2, &ty);
    vi
}

/// The model file. `table` is `[vocab + buckets, labels]` row-major with the IDF already
/// folded in (`weight · idf`), `idf2` the squared IDF per row, `bias` per label.
pub fn export(table: &[f32], idf2: &[f32], bias: &[f32], vocab: usize, buckets: usize) -> Vec<u8> {
    let labels = bias.len();
    let rows = vocab + buckets;
    let scalar = |name: &str, v: i64| tensor(name, INT64, &[], &i64s(&[v]));
    let vector = |name: &str, v: i64| tensor(name, INT64, &[1], &i64s(&[v]));
    let inits = vec![
        tensor("table", FLOAT, &[rows, labels], &f32s(table)),
        tensor("idf2", FLOAT, &[rows], &f32s(idf2)),
        tensor("bias", FLOAT, &[labels], &f32s(bias)),
        scalar("prime", BIGRAM_PRIME),
        scalar("buckets", buckets as i64),
        scalar("vocab", vocab as i64),
        vector("axis1", 1),
        vector("axis2", 2),
        vector("start1", 1),
        vector("big", 1 << 62),
        tensor("eps", FLOAT, &[], &f32s(&[1e-6])),
        vector("zero_idx", 0),
    ];
    let n = |op, i: &[&str], o: &[&str]| node(op, i, o, Vec::new());
    let keep = |k| vec![Attr::Int("keepdims", k)];
    let nodes = vec![
        node(
            "Cast",
            &["attention_mask"],
            &["mask"],
            vec![Attr::Int("to", FLOAT)],
        ),
        // Next token and its mask, padded with one zero column (a sequence of length 1 then
        // yields an all-masked bigram instead of an empty tensor).
        n(
            "Slice",
            &["input_ids", "start1", "big", "axis1"],
            &["ids_tail"],
        ),
        n("Slice", &["mask", "start1", "big", "axis1"], &["mask_tail"]),
        n("Shape", &["input_ids"], &["shape"]),
        n("Gather", &["shape", "zero_idx"], &["batch"]),
        node(
            "Concat",
            &["batch", "axis1"],
            &["pad_shape"],
            vec![Attr::Int("axis", 0)],
        ),
        node(
            "ConstantOfShape",
            &["pad_shape"],
            &["pad_i"],
            vec![Attr::Tensor("value", tensor("v", INT64, &[1], &i64s(&[0])))],
        ),
        node(
            "ConstantOfShape",
            &["pad_shape"],
            &["pad_f"],
            vec![Attr::Tensor(
                "value",
                tensor("v", FLOAT, &[1], &f32s(&[0.0])),
            )],
        ),
        node(
            "Concat",
            &["ids_tail", "pad_i"],
            &["ids_next"],
            vec![Attr::Int("axis", 1)],
        ),
        node(
            "Concat",
            &["mask_tail", "pad_f"],
            &["mask_next"],
            vec![Attr::Int("axis", 1)],
        ),
        n("Mul", &["input_ids", "prime"], &["h1"]),
        n("Add", &["h1", "ids_next"], &["h2"]),
        n("Mod", &["h2", "buckets"], &["h3"]),
        n("Add", &["h3", "vocab"], &["bigram_ids"]),
        n("Mul", &["mask", "mask_next"], &["bigram_mask"]),
        n("Gather", &["table", "input_ids"], &["uni"]),
        n("Gather", &["table", "bigram_ids"], &["bi"]),
        n("Unsqueeze", &["mask", "axis2"], &["mask3"]),
        n("Unsqueeze", &["bigram_mask", "axis2"], &["bmask3"]),
        n("Mul", &["uni", "mask3"], &["uni_m"]),
        n("Mul", &["bi", "bmask3"], &["bi_m"]),
        n("Add", &["uni_m", "bi_m"], &["both"]),
        node("ReduceSum", &["both", "axis1"], &["summed"], keep(0)),
        n("Gather", &["idf2", "input_ids"], &["uni_w"]),
        n("Gather", &["idf2", "bigram_ids"], &["bi_w"]),
        n("Mul", &["uni_w", "mask"], &["uni_wm"]),
        n("Mul", &["bi_w", "bigram_mask"], &["bi_wm"]),
        n("Add", &["uni_wm", "bi_wm"], &["w_all"]),
        node("ReduceSum", &["w_all", "axis1"], &["sq"], keep(1)),
        n("Sqrt", &["sq"], &["norm"]),
        n("Max", &["norm", "eps"], &["norm1"]),
        n("Div", &["summed", "norm1"], &["pooled"]),
        n("Add", &["pooled", "bias"], &["logits"]),
    ];
    // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
    let mut graph = Msg::default();
    for nd in &nodes {
        graph.msg(1, nd);
    }
    graph.str(2, "bag_classifier");
    for t in &inits {
        graph.msg(5, t);
    }
    let dyn2 = [Err("batch"), Err("sequence")];
    graph.msg(11, &value_info("input_ids", INT64, &dyn2));
    graph.msg(11, &value_info("attention_mask", INT64, &dyn2));
    graph.msg(
        12,
        &value_info("logits", FLOAT, &[Err("batch"), Ok(labels)]),
    );
    // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8
    // (OperatorSetIdProto: domain = 1, version = 2).
    let mut opset = Msg::default();
    opset.str(1, "").int(2, 17);
    let mut model = Msg::default();
    model
        .int(1, 8)
        .str(2, "triage-train")
        .msg(7, &graph)
        .msg(8, &opset);
    model.0
}
