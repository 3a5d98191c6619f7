//! Runs the per-provider example programs (`examples/<provider>.rs`): each starts its own
//! emulator, walks its services' backup lifecycles through the typed clients (start, waiter,
//! paginator, restore or delete where the API has them) and fails unless the emulator then
//! holds what was done.
#![cfg(feature = "emulator")]

#[path = "../examples/tencent.rs"]
mod tencent;

#[path = "../examples/alibaba.rs"]
mod alibaba;

#[path = "../examples/huawei.rs"]
mod huawei;

#[test]
fn tencent_example_runs() {
    tencent::main().unwrap();
}

#[test]
fn alibaba_example_runs() {
    alibaba::main().unwrap();
}

#[test]
fn huawei_example_runs() {
    huawei::main().unwrap();
}
