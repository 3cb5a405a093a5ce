#pragma once
// vtlab's own model checks, one family a file; checks.cpp registers them with the kit's
// source checks instantiated on vtlab's pools.
#include "check.hpp"

#include <span>

namespace vt_model_check {

std::span<const check> source_protocol_checks();
std::span<const check> task_checks();
std::span<const check> cancellation_checks();
std::span<const check> scheduler_checks();
std::span<const check> thread_pool_checks();

}  // namespace vt_model_check
