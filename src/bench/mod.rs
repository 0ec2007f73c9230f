//! Workloads and measurements behind `pialog bench` (issue 5).
