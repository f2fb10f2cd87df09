"""The rate limiter: new messages keep their chat's pace, an edit never waits for it."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.ratelimit import ChatRateLimiter, Window


async def _timed(limiter: ChatRateLimiter, endpoint: str, chat_id: int) -> float:
    """Seconds the limiter held one request back before sending it."""
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def send(*_: Any, **__: Any) -> bool:
        return True

    await limiter.process_request(send, (), {}, endpoint, {"chat_id": chat_id}, None)
    return loop.time() - started


async def test_an_edit_right_after_a_message_goes_at_once() -> None:
    limiter = ChatRateLimiter(private_interval=0.3)
    assert await _timed(limiter, "sendMessage", 7) < 0.1
    assert await _timed(limiter, "editMessageText", 7) < 0.1


async def test_a_message_right_after_an_edit_keeps_its_distance() -> None:
    limiter = ChatRateLimiter(private_interval=0.3)
    assert await _timed(limiter, "editMessageText", 7) < 0.1
    assert await _timed(limiter, "sendMessage", 7) > 0.2


async def test_other_chats_are_not_held_back() -> None:
    limiter = ChatRateLimiter(private_interval=0.3)
    await _timed(limiter, "sendMessage", 7)
    assert await _timed(limiter, "sendMessage", 8) < 0.1


async def test_the_overall_window_serves_waiters_in_order() -> None:
    window = Window(2)
    served: list[int] = []

    async def one(n: int) -> None:
        await window.wait_turn()
        served.append(n)

    tasks = []
    for n in range(7):
        tasks.append(asyncio.create_task(one(n)))
        await asyncio.sleep(0.01)  # each arrives after the one before
    await asyncio.gather(*tasks)
    assert served == list(range(7))
