//! Boundary tests for every constraint and cross-field rule of the five seed specs.

use cloudbackup::alibaba::dbs::create_backup_plan::{
    BackupMethod, CreateBackupPlanInput, DatabaseType, InstanceClass, Period, Region,
};
use cloudbackup::huawei::koophone::BatchBackupInstancesInput;
use cloudbackup::tencent::cbs::CreateDiskBackupInput;
use cloudbackup::tencent::redis::ManualBackupInstanceInput;
use cloudbackup::tencent::sqlserver::create_backup::{BackupStrategy, CreateBackupInput};
use cloudbackup::validation::Rule;

fn plan(period: Period, used_time: i32) -> CreateBackupPlanInput {
    CreateBackupPlanInput::new(
        Region::CnHangzhou,
        DatabaseType::MySql,
        InstanceClass::Small,
        BackupMethod::Logical,
        period,
        used_time,
    )
}

#[test]
fn disk_backup_name_is_at_most_100_characters() {
    let ok = CreateDiskBackupInput::new("disk-1").disk_backup_name("a".repeat(100));
    assert_eq!(ok.validate(), Ok(()));
    // Characters, not bytes: 100 three-byte characters are fine.
    let unicode = CreateDiskBackupInput::new("disk-1").disk_backup_name("备".repeat(100));
    assert_eq!(unicode.validate(), Ok(()));
    let err = CreateDiskBackupInput::new("disk-1")
        .disk_backup_name("a".repeat(101))
        .validate()
        .unwrap_err();
    assert_eq!(err.violations().len(), 1);
    let v = &err.violations()[0];
    assert_eq!(v.field, "DiskBackupName");
    assert_eq!(
        v.rule,
        Rule::Length {
            min: None,
            max: Some(100)
        }
    );
    assert_eq!(
        v.to_string(),
        "`DiskBackupName`: length must be at most 100 characters (got 101 characters)"
    );
}

#[test]
fn used_time_depends_on_period() {
    let table = [
        (Period::Year, 0, false),
        (Period::Year, 1, true),
        (Period::Year, 9, true),
        (Period::Year, 10, false),
        (Period::Month, 0, false),
        (Period::Month, 1, true),
        (Period::Month, 11, true),
        (Period::Month, 12, false),
    ];
    for (period, used, ok) in table {
        let result = plan(period.clone(), used).validate();
        assert_eq!(result.is_ok(), ok, "{period} {used}: {result:?}");
        if let Err(e) = result {
            let v = &e.violations()[0];
            assert_eq!(v.field, "UsedTime");
            assert_eq!(v.value, used.to_string());
            let max = if period == Period::Year { 9 } else { 11 };
            assert_eq!(
                v.rule,
                Rule::Range {
                    min: Some(1),
                    max: Some(max)
                }
            );
            assert_eq!(
                v.to_string(),
                format!(
                    "`UsedTime`: value must be between 1 and {max} when `Period` is `{period}` (got {used})"
                )
            );
        }
    }
}

#[test]
fn instance_ids_count_and_item_length() {
    let ids = |n: usize, len: usize| (0..n).map(move |i| format!("{i:0>len$}"));
    assert_eq!(
        BatchBackupInstancesInput::new(ids(100, 32)).validate(),
        Ok(())
    );
    let too_many = BatchBackupInstancesInput::new(ids(101, 8))
        .validate()
        .unwrap_err();
    assert_eq!(too_many.violations().len(), 1);
    assert_eq!(too_many.violations()[0].field, "instance_ids");
    assert_eq!(
        too_many.violations()[0].rule,
        Rule::Count {
            min: Some(1),
            max: Some(100)
        }
    );
    let none = BatchBackupInstancesInput::new(Vec::<String>::new())
        .validate()
        .unwrap_err();
    assert_eq!(none.violations()[0].field, "instance_ids");
    let empty_id = BatchBackupInstancesInput::new(["a", ""])
        .validate()
        .unwrap_err();
    assert_eq!(empty_id.violations()[0].field, "instance_ids[1]");

    let too_long = BatchBackupInstancesInput::new(["ok", &"x".repeat(33), "fine", &"y".repeat(40)])
        .validate()
        .unwrap_err();
    let fields: Vec<&str> = too_long
        .violations()
        .iter()
        .map(|v| v.field.as_str())
        .collect();
    assert_eq!(fields, ["instance_ids[1]", "instance_ids[3]"]);
    assert!(too_long.concerns("instance_ids"));
}

#[test]
fn every_violation_is_reported_at_once() {
    let mut ids: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    ids.push("z".repeat(33));
    let err = BatchBackupInstancesInput::new(ids).validate().unwrap_err();
    assert_eq!(err.violations().len(), 2, "{err}");
    assert!(
        err.to_string()
            .starts_with("invalid request (2 problems): ")
    );

    let err = CreateBackupPlanInput::new(
        Region::from("ap-southeat-1"),
        DatabaseType::from("Postgres"),
        InstanceClass::Large,
        BackupMethod::Physical,
        Period::Year,
        10,
    )
    .validate()
    .unwrap_err();
    let fields: Vec<&str> = err.violations().iter().map(|v| v.field.as_str()).collect();
    assert_eq!(fields, ["Region", "DatabaseType", "UsedTime"]);
}

#[test]
fn db_list_only_with_strategy_one() {
    let with = |s: Option<BackupStrategy>| {
        let input = CreateBackupInput::new("mssql-q6g71pcf").db_list(["test1", "test2"]);
        match s {
            Some(s) => input.strategy(s),
            None => input,
        }
    };
    assert_eq!(with(Some(BackupStrategy::MultiDatabase)).validate(), Ok(()));
    for bad in [
        Some(BackupStrategy::Instance),
        None,
        Some(BackupStrategy::Unknown(7)),
    ] {
        let err = with(bad).validate().unwrap_err();
        let v = err
            .violations()
            .iter()
            .find(|v| v.field == "dbList")
            .expect("dbList violation");
        assert_eq!(v.rule, Rule::Absent);
        assert_eq!(v.condition, Some("`strategy` is not `1`"));
    }
    // Without dbList any strategy is fine.
    let plain = CreateBackupInput::new("mssql-q6g71pcf").strategy(BackupStrategy::Instance);
    assert_eq!(plain.validate(), Ok(()));
}

#[test]
fn unknown_enum_values_are_rejected() {
    let err = plan(Period::from("Week"), 1).validate().unwrap_err();
    let v = &err.violations()[0];
    assert_eq!(v.field, "Period");
    assert_eq!(v.rule, Rule::OneOf(&["Year", "Month"]));
    assert_eq!(
        v.to_string(),
        "`Period`: must be one of Year, Month (got \"Week\")"
    );

    let err = CreateBackupInput::new("mssql-1")
        .strategy(BackupStrategy::from(2))
        .validate()
        .unwrap_err();
    assert_eq!(err.violations()[0].field, "strategy");

    // The page's typo is not a region.
    assert!(!Region::from("ap-southeat-1").is_known());
    assert_eq!(Region::from("ap-southeast-1"), Region::ApSoutheast1);
}

#[test]
fn huge_values_are_shown_shortened() {
    let err = plan(Period::from("x".repeat(10_000).as_str()), 1)
        .validate()
        .unwrap_err();
    let shown = &err.violations()[0].value;
    assert!(shown.chars().count() < 80, "{shown}");
    assert!(shown.ends_with('…'));
}

#[test]
fn unconstrained_seed_requests_validate() {
    assert_eq!(
        ManualBackupInstanceInput::new("crs-izbob1wh")
            .remark("test_api")
            .validate(),
        Ok(())
    );
    assert_eq!(
        CreateDiskBackupInput::new("disk-xxxxxxxx").validate(),
        Ok(())
    );
}

// `compare:` rules, through the runtime's `Validator::compare` that generated `validate()`
// methods call (no seed spec compares fields yet).

mod compare {
    use cloudbackup::jiff::civil::DateTime;
    use cloudbackup::validation::{Compare, Rule, Validator};

    fn check<T: PartialOrd + std::fmt::Display>(
        a: Option<T>,
        op: Compare,
        b: Option<T>,
        condition: Option<&'static str>,
    ) -> Result<(), cloudbackup::ValidationErrors> {
        let mut v = Validator::new();
        v.compare("EndTime", a, op, "StartTime", b, condition);
        v.finish()
    }

    #[test]
    fn every_operator_holds_and_fails_as_its_word_says() {
        use Compare::{Eq, Ge, Gt, Le, Lt, Ne};
        // (op, holds for 1 vs 2, 2 vs 2, 3 vs 2, its words)
        let table = [
            (Lt, [true, false, false], "less than"),
            (Le, [true, true, false], "at most"),
            (Gt, [false, false, true], "greater than"),
            (Ge, [false, true, true], "at least"),
            (Eq, [false, true, false], "equal to"),
            (Ne, [true, false, true], "different from"),
        ];
        for (op, holds, words) in table {
            for (a, want) in [1_i64, 2, 3].into_iter().zip(holds) {
                assert_eq!(op.holds(&a, &2), want, "{op:?} {a} vs 2");
                let result = check(Some(a), op, Some(2), None);
                if want {
                    assert_eq!(result, Ok(()), "{op:?} {a}");
                } else {
                    let err = result.unwrap_err();
                    assert_eq!(
                        err.violations()[0].to_string(),
                        format!(
                            "`EndTime`: must be {words} `StartTime` (got {a}, `StartTime` is 2)"
                        )
                    );
                }
            }
        }
    }

    #[test]
    fn the_comparison_runs_only_when_both_fields_are_set() {
        assert_eq!(check(None, Compare::Ge, Some(2_i64), None), Ok(()));
        assert_eq!(check(Some(1_i64), Compare::Ge, None, None), Ok(()));
        assert_eq!(check::<i64>(None, Compare::Ge, None, None), Ok(()));
    }

    #[test]
    fn timestamps_and_conditions_are_shown_in_the_message() {
        let start: DateTime = "2026-02-01T00:00:00".parse().unwrap();
        let end: DateTime = "2026-01-01T00:00:00".parse().unwrap();
        let err = check(
            Some(end),
            Compare::Ge,
            Some(start),
            Some("`Mode` is `Range`"),
        )
        .unwrap_err();
        let v = &err.violations()[0];
        assert_eq!(v.field, "EndTime");
        assert_eq!(
            v.rule,
            Rule::Compare {
                op: Compare::Ge,
                other: "StartTime",
                other_value: "2026-02-01T00:00:00".into(),
            }
        );
        assert_eq!(v.value, "2026-01-01T00:00:00");
        assert_eq!(v.condition, Some("`Mode` is `Range`"));
        assert_eq!(
            v.to_string(),
            "`EndTime`: must be at least `StartTime` when `Mode` is `Range` \
             (got 2026-01-01T00:00:00, `StartTime` is 2026-02-01T00:00:00)"
        );
        assert_eq!(check(Some(start), Compare::Ge, Some(end), None), Ok(()));
    }

    #[test]
    fn comparisons_are_reported_with_every_other_violation() {
        let mut v = Validator::new();
        v.range("MinValue", Some(-1), Some(0), None, None);
        v.compare(
            "MaxValue",
            Some(1.5_f64),
            Compare::Ge,
            "MinValue",
            Some(2.25),
            None,
        );
        v.compare(
            "EndTime",
            Some(3_i64),
            Compare::Lt,
            "StartTime",
            Some(4),
            None,
        );
        let err = v.finish().unwrap_err();
        assert_eq!(err.violations().len(), 2);
        assert!(err.concerns("MinValue") && err.concerns("MaxValue"));
        assert_eq!(
            err.to_string(),
            "invalid request (2 problems): `MinValue`: value must be at least 0 (got -1); \
             `MaxValue`: must be at least `MinValue` (got 1.5, `MinValue` is 2.25)"
        );
    }

    #[test]
    fn huge_compared_values_are_shortened() {
        let (a, b) = ("a".repeat(500), "b".repeat(500));
        let err = check(Some(a.as_str()), Compare::Eq, Some(b.as_str()), None).unwrap_err();
        let v = &err.violations()[0];
        assert_eq!(v.value.chars().count(), 65);
        assert!(v.value.ends_with('…'));
        let Rule::Compare { other_value, .. } = &v.rule else {
            panic!("a comparison");
        };
        assert_eq!(other_value.chars().count(), 65);
    }
}
